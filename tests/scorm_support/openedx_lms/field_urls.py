"""The workbench's URLs plus /media/ (the extracted packages) and one SCORM scenario per version."""

import os

from django.conf import settings
from django.urls import re_path
from django.views.static import serve
from openedxscorm.scormxblock import ScormXBlock
from workbench.scenarios import add_xml_scenario
from workbench.urls import urlpatterns as workbench_urls

# The workbench has no course location (edx-platform's `block.location` is a Mock there); the block
# uses it only to look for a pre-2020 storage folder. Point that at a folder that never exists.
ScormXBlock.extract_old_folder_base_path = property(
    lambda self: os.path.join(self.scorm_location(), "no-legacy-folder"))

if os.environ.get("FIELD_SCENARIOS"):  # not while migrating: adding a scenario writes to the database
    for version in ("12", "2004"):
        add_xml_scenario(f"scorm_{version}", f"SCORM {version}", "<scorm/>")

urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
               *workbench_urls]
