"""Pain regions: the body-map data, `bodymap.regions.complaints_for` and `bodymap list --region`."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from bodymap.cli import main
from bodymap.content.regions import COVER_ZONE, covers, inside, region_shapes
from bodymap.core.errors import DataError
from bodymap.data.regions import load_pain_regions
from bodymap.figures.geometry import load_panels
from bodymap.regions import complaints_for, region_ids, regions

# The Michigan Body Map's areas as the REDCap Image Map module names them (ctsit/imagemap, maps/mbody.html).
MBM_AREAS = {"Face", "Rt jaw", "Lt jaw", "Rt chest/breast", "Lt chest/breast", "Rt upper arm", "Lt upper arm", "Rt elbow",
             "Lt elbow", "Rt lower arm", "Lt lower arm", "Rt wrist/hand", "Lt wrist/hand", "Abdomen", "Pelvis", "Rt groin",
             "Lt groin", "Rt upper leg", "Lt upper leg", "Rt knee", "Lt knee", "Rt lower leg", "Lt lower leg", "Rt ankle/foot",
             "Lt ankle/foot", "Head", "Neck", "Lt shoulder", "Rt shoulder", "Upper back", "Lower back", "Lt hip", "Rt hip",
             "Lt buttocks", "Rt buttocks"}


def test_every_region_is_named_and_sourced_and_the_areas_are_the_maps():
    data = regions()
    assert data.map.areas == len(MBM_AREAS) == 35 and "Michigan Body Map" in data.map.source
    assert data.map.verified and data.map.uncertain  # what was and was not checked is said
    seen = [label for r in data.regions.values() for label in r.mbm]
    assert sorted(seen) == sorted(MBM_AREAS)
    for region in data.regions.values():
        assert region.name and len(region.source) > 20 and "Michigan Body Map" in region.source
        assert len(region.mbm) == (2 if region.bilateral else 1)


def test_every_complaint_is_reachable_from_a_region(catalog):
    reached = {m.complaint for r in region_ids() for m in complaints_for([r])}
    assert reached == set(catalog.complaints)
    assert set(regions().complaints) == set(catalog.complaints)  # each says where it is felt


def test_every_area_is_drawn_and_lies_over_the_body():
    panels = load_panels()
    shapes = region_shapes()
    assert {s.region for s in shapes} == set(region_ids())
    for shape in shapes:
        panel = panels[shape.panel]
        xs, ys = [p[0] for p in shape.points], [p[1] for p in shape.points]
        centre = (sum(xs) / len(xs), sum(ys) / len(ys))
        assert 0 <= centre[0] <= panel.width and 0 <= centre[1] <= panel.height, shape.region
        assert any(inside(p, panel.outlines[0]) for p in shape.points) or inside(centre, panel.outlines[0]), shape.region
    # on the back figure, a bilateral region's right half is on the viewer's right
    hip = {s.side: s for s in shapes if s.region == "hip" and s.panel == "body-posterior"}
    assert min(p[0] for p in hip["right"].points) > 220 > max(p[0] for p in hip["left"].points)


@pytest.mark.parametrize("panel_id", ["body-anterior", "body-posterior"])
def test_regions_on_one_panel_do_not_overlap_on_the_body(panel_id):
    body = load_panels()[panel_id].outlines[0]
    shapes = [s for s in region_shapes() if s.panel == panel_id]
    grid = [(x + 0.5, y + 0.5) for x in range(0, 440, 4) for y in range(0, 1000, 4)]
    on_body = [p for p in grid if inside(p, body)]
    owners = [sum(inside(p, s.points) for s in shapes) for p in on_body]
    # borders meet at shared landmarks, so a point may sit on two; no more than 1% of the body may
    assert sum(n > 1 for n in owners) / len(on_body) < 0.01


def test_lower_back_offers_low_back_pain_first_and_sciatica():
    matches = complaints_for(["lower-back"])
    ids = [m.complaint for m in matches]
    assert ids[0] == "low-back-pain" and "sciatica" in ids
    why = matches[0].why
    assert why.startswith("Felt in the lower back") and "quadratus lumborum" in why and "refer here" in why
    sciatica = next(m for m in matches if m.complaint == "sciatica")
    assert "quadratus lumborum" in sciatica.why and sciatica.felt_in == ()


def test_lateral_hip_offers_lateral_hip_pain_first():
    assert complaints_for(["hip"])[0].complaint == "lateral-hip-pain"
    assert complaints_for("hip")[0].complaint == "lateral-hip-pain"  # one id as a string


def test_more_regions_rank_the_complaint_felt_in_all_of_them_first():
    matches = complaints_for(["buttock", "upper-leg", "lower-leg"])
    assert matches[0].complaint == "sciatica"
    assert matches[0].score > matches[1].score


def test_a_region_where_nothing_is_felt_or_referred_gives_no_complaint():
    assert complaints_for(["abdomen"]) == []


def test_unknown_region_names_the_valid_ones():
    with pytest.raises(DataError, match="valid regions: head, face"):
        complaints_for(["elbowz"])


def test_a_referral_zone_covers_a_region_only_when_it_lies_over_enough_of_it():
    square = ((0, 0), (100, 0), (100, 100), (0, 100))
    assert covers(((10, 10), (60, 10), (60, 60), (10, 60)), square)
    assert not covers(((200, 200), (260, 200), (260, 260)), square)  # far away
    sliver = ((98, 0), (300, 0), (300, 100), (98, 100))  # lies mostly outside: ~1% of its area is inside
    assert not covers(sliver, square) and COVER_ZONE > 0.01


def test_region_file_errors_are_one_line(tmp_path):
    raw = yaml.safe_load((regions_path := _path()).read_text(encoding="utf-8"))
    raw["complaints"][0]["regions"] = ["nowhere"]
    bad = tmp_path / "pain-regions.yaml"
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(DataError, match="unknown region"):
        load_pain_regions(bad)
    raw = yaml.safe_load(regions_path.read_text(encoding="utf-8"))
    raw["regions"][2]["bilateral"] = False  # jaw: now 34 areas, not the map's 35
    bad.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(DataError, match="34 areas"):
        load_pain_regions(bad)


def _path():
    from bodymap.core.assets import assets_dir

    return assets_dir() / "data" / "pain-regions.yaml"


def test_cli_list_region_prints_ranked_complaints_with_why():
    result = CliRunner().invoke(main, ["list", "--region", "lower-back"], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split()[0] == "low-back-pain" and "refer here" in lines[0]
    assert "sciatica" in [line.split()[0] for line in lines]


def test_cli_list_bad_region_exits_2_naming_the_valid_ones():
    result = CliRunner().invoke(main, ["list", "--region", "<script>"], catch_exceptions=False)
    assert result.exit_code == 2
    assert "unknown region" in result.output and "lower-back" in result.output and "Traceback" not in result.output
