"""Real-browser tests: the app under `streamlit run`, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import re
import shutil

import pytest

from tools.appserver import serve_app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)"),
]
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


@pytest.fixture(scope="module")
def server():
    try:
        with serve_app() as (url, _pid):
            yield url
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                               args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                     "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def _open(page, url: str):
    page.goto(url)
    page.get_by_role("img", name=re.compile("Low back pain|Neck pain|Sciatica|hostile", re.I)).first.wait_for()
    return page


def test_diagram_is_found_by_role_and_name(page, server):
    _open(page, server)
    diagram = page.get_by_role("img", name=re.compile("Low back pain"))
    assert diagram.count() == 1
    assert page.locator('g[id="bm-low-back-pain-layer-acupuncture"] g.marker').count() > 5


def test_markers_carry_tooltip_titles(page, server):
    _open(page, server)
    title = page.locator('g[id="bm-low-back-pain-layer-acupuncture"] g.marker > title').first.text_content()
    assert re.match(r"^[A-Z]{1,3}[\w-]*\d+\w* ", title)


def test_toggling_an_overlay_removes_its_markers(page, server):
    _open(page, server)
    dn = page.locator('g[id="bm-low-back-pain-layer-dry-needling"] g.marker')
    assert dn.count() > 0
    page.locator('[data-testid="stSidebar"]').get_by_text("Dry needling", exact=True).click()
    page.locator('g[id="bm-low-back-pain-layer-dry-needling"]').wait_for(state="detached")
    assert page.locator('g[id="bm-low-back-pain-layer-acupuncture"] g.marker').count() > 0
    assert "dn=false" in page.url


def test_side_by_side_mode_shows_two_diagrams(page, server):
    page.goto(f"{server}/?mode=Side%20by%20side")
    page.locator('svg[id="bm-low-back-pain-acupuncture"]').wait_for()
    assert page.get_by_role("img").filter(has=page.locator("title")).count() >= 2 or \
        page.locator("svg.bodymap").count() == 2


def test_shared_url_restores_state(page, server):
    page.goto(f"{server}/?complaint=Neck%20pain&dn=false&view=Back")
    page.get_by_role("img", name=re.compile("Neck pain")).wait_for()
    assert page.locator('g[id="bm-neck-pain-layer-dry-needling"]').count() == 0
    assert page.locator('g[id="bm-neck-pain-panel-body-anterior"]').count() == 0
    assert page.locator('g[id="bm-neck-pain-panel-body-posterior"]').count() == 1


def test_bad_url_parameter_falls_back_with_a_notice(page, server):
    page.goto(f"{server}/?complaint=%3Cscript%3E&view=sideways")
    page.get_by_role("img", name=re.compile("Low back pain")).wait_for()
    assert page.get_by_text(re.compile("Ignored unknown or invalid link setting")).count() == 1
    assert page.locator("text=Traceback").count() == 0


@pytest.mark.parametrize("label, magic", [("SVG", b"<svg"), ("PNG", b"\x89PNG"), ("PDF", b"%PDF"),
                                          ("Handout", b"%PDF"), ("JSON", b"{")])
def test_download_buttons_deliver_the_right_file(page, server, tmp_path, label, magic):
    _open(page, server)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=label, exact=True).first.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.read_bytes().startswith(magic)
    assert target.name.startswith("low-back-pain")


def test_hostile_label_in_custom_data_shows_as_text(page, server, tmp_path):
    custom = tmp_path / "hostile.yaml"
    custom.write_text(
        "complaints:\n"
        f"  - id: hostile\n    name: 'hostile {HOSTILE}'\n    summary: 'x {HOSTILE}'\n"
        "acupuncture:\n"
        f"  - complaint: hostile\n    rationale: '{HOSTILE}'\n    foot_points: none\n    source: 'Test source 2024'\n"
        "    points: [{code: LI4, placement: distal, source: 'Test source 2024'}]\n",
        encoding="utf-8")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open(page, server)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(custom))
    page.get_by_text(re.compile("Loaded hostile.yaml")).wait_for()
    page.get_by_label("Complaint").first.click()
    page.get_by_role("option", name=re.compile("hostile")).click()
    page.get_by_role("img", name=re.compile("hostile")).wait_for()
    assert page.evaluate("window.__pwned === undefined")
    assert not dialogs
    assert page.get_by_role("heading", name=re.compile("script")).count() >= 1  # shown as text


def test_malformed_upload_is_refused_and_builtin_data_stays(page, server, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("complaints:\n  - id: Not A Slug\n    name: x\n    summary: y\n", encoding="utf-8")
    _open(page, server)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(bad))
    page.get_by_text(re.compile(r"broken.yaml: complaints: entry 1 .*Using the built-in data")).wait_for()
    assert page.get_by_role("img", name=re.compile("Low back pain")).count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
