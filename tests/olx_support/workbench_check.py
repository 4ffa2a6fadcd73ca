"""Run inside a venv holding xblock-sdk and the built wheel.

``python workbench_check.py`` prints one JSON report on stdout: it drives the installed blocks through
the workbench (every scenario page renders; the quiz handler grades, refuses and rejects as it should).
``python workbench_check.py serve`` runs the workbench on 127.0.0.1 (a free port, printed on the first
line of stdout) with the handler views behind the LMS's CSRF check, for a browser to drive.
Run with the CWD set to a scratch folder (the SDK writes var/).
"""

from __future__ import annotations

import json
import os
import sys


def setup_django() -> None:
    """Configure the workbench and create its tables."""
    os.makedirs("var", exist_ok=True)  # workbench settings log to var/ relative to the CWD
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    os.environ["EXCLUDE_SAMPLE_XBLOCKS"] = "yes"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", run_syncdb=True, verbosity=0)  # the wheel ships no migrations (xblock-sdk#191)


def lms_csrf(view):
    """Wrap a handler view as edx-platform's handle_xblock_callback is: exempt from the middleware, then
    ``CsrfViewMiddleware().process_view`` run explicitly for a logged-in learner (every workbench
    student counts as logged in here), so a POST without the token gets Django's 403."""
    from django.middleware.csrf import CsrfViewMiddleware
    from django.views.decorators.csrf import csrf_exempt

    @csrf_exempt
    def checked(request, *args, **kwargs):
        error = CsrfViewMiddleware(lambda req: None).process_view(request, None, (), {})
        return error if error is not None else view(request, *args, **kwargs)

    return checked


def serve() -> int:
    """Serve the workbench until killed, handler views behind the LMS-style CSRF check."""
    setup_django()
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from django.urls import get_resolver

    app = get_wsgi_application()
    wrapped = []
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "name", None) in ("handler", "unauth_handler"):
            pattern.callback = lms_csrf(pattern.callback)
            wrapped.append(pattern.name)
    assert wrapped == ["handler", "unauth_handler"], wrapped
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    httpd.set_app(StaticFilesHandler(app))
    print(httpd.server_address[1], flush=True)
    httpd.serve_forever()
    return 0


def main() -> int:
    """Collect facts for the pytest side to assert on."""
    setup_django()
    import webob
    from django.test import Client
    from workbench.runtime import WorkbenchRuntime
    from workbench.scenarios import get_scenarios
    from xblock.core import XBlock

    report: dict = {"entry_points": sorted(n for n, _ in XBlock.load_classes() if n.startswith("attachment_"))}
    client = Client()
    pages = {}
    for scenario_id in sorted(get_scenarios()):
        if scenario_id.startswith("attachment_"):
            response = client.get(f"/scenario/{scenario_id}/")
            pages[scenario_id] = {"status": response.status_code, "html": response.content.decode()}
    report["scenarios"] = pages

    from attachment_course_xblocks import QuizBlock

    xml = QuizBlock.workbench_scenarios()[0][1]
    rt = WorkbenchRuntime(user_id="learner1")
    rt.id_generator.set_scenario("check")
    block = rt.get_block(rt.parse_xml_string(xml))
    report["student_view"] = rt.render(block, "student_view", {}).body_html()
    events: list = []
    rt.publish = lambda blk, kind, data: events.append([kind, data])

    def post(body: bytes) -> dict:
        before = len(events)
        resp = rt.handle(block, "submit", webob.Request.blank("/", method="POST", body=body))
        return {"status": resp.status_code, "body": json.loads(resp.body or b"null"),
                "events": events[before:]}

    from attachment_course_xblocks import render

    salt = str(block.scope_ids.usage_id)

    def tok(item_id: str, value: str) -> str:
        return render.token(salt, item_id, value)

    right = {
        "s-01": tok("s-01", "a"), "s-02": True, "s-03": [tok("s-03", "a"), tok("s-03", "b")],
        "s-04": {tok("s-04", "row:care"): tok("s-04", "care"), tok("s-04", "row:calm"): tok("s-04", "calm")},
        "s-05": [tok("s-05", s) for s in ("distress", "use", "relief")],
    }
    wrong = dict(right, **{"s-01": tok("s-01", "b"), "s-02": False})
    report["malformed_json"] = post(b"{not json")
    report["malformed_shape"] = post(json.dumps({"answers": {"s-02": "yes"}}).encode())
    report["unknown_choice"] = post(json.dumps({"answers": {"s-01": "zzz"}}).encode())
    report["wrong"] = post(json.dumps({"answers": wrong}).encode())
    report["correct"] = post(json.dumps({"answers": right}).encode())
    report["past_limit"] = post(json.dumps({"answers": right}).encode())
    report["max_score"] = block.max_score()
    json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(serve() if sys.argv[1:] == ["serve"] else main())
