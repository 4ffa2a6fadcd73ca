"""xblock-sdk workbench settings for running openedx-scorm-xblock as a field LMS (loopback only).

Packages are extracted under MEDIA_ROOT (the scratch folder this runs in) and served from /media/,
as an LMS serves them from its storage; the block's asset proxy is off because its URL, built from
the workbench's handler URL (which carries ``?student=``), cannot take a path after it.
"""

import os

from workbench.settings import *  # noqa: F403

MEDIA_ROOT = os.path.join(os.getcwd(), "media")
MEDIA_URL = "/media/"
ROOT_URLCONF = "field_urls"
XBLOCK_SETTINGS = {"ScormXBlock": {"PROXY_ASSETS_LMS": False}}
