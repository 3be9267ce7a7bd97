"""The product team in a real browser: it scores an idea, puts it on a shortlist
(moving it to shortlisted), promotes it into R&D and exports the shortlist; the
author reads what became of the idea."""

from __future__ import annotations

import csv
import io

from ideas.models import Shortlist
from tests.e2e.journey import JOURNEY_MARKS, expect
from tests.e2e.test_brand_team_journeys import member_of
from tests.e2e.test_journeys import DESKTOP, log_in
from tests.factories import IdeaFactory, UserFactory

pytestmark = JOURNEY_MARKS


def test_the_product_team_takes_an_idea_into_rnd(browser, live_site, screenshot_dir):
    base = live_site.url
    author = UserFactory(email="ana@example.com", display_name="Ana")
    product = member_of("Product team", email="pia@example.com", display_name="Pia")
    idea = IdeaFactory(author=author, title="A tent that pitches itself")
    shortlist = Shortlist.objects.create(name="Camping 2027")
    evaluation = f"/admin/product/ideas/{idea.pk}/"

    team = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
    log_in(team, base, product.email, evaluation)

    for criterion, value in [
        ("Benefit", "5"),
        ("Feasibility", "3"),
        ("Time to market", "3"),
        ("Desirability", "5"),
    ]:
        team.get_by_label(criterion, exact=True).fill(value)
    team.get_by_role("button", name="Save my scores").click()
    # (3*5/5 + 2*3/5 + 1*3/5 + 2*5/5) / 8 = 0.85
    expect(team.locator(".signals")).to_contain_text("85")

    team.locator("#shortlist-shortlist").select_option(label="Camping 2027")
    team.get_by_label("Note for the team").fill("Ask Ana for sketches.")
    team.get_by_label("Also move it to shortlisted").check()
    team.get_by_label("Public note on the status change").fill("On our 2027 list.")
    team.get_by_role("button", name="Add to the shortlist").click()
    expect(team.get_by_role("link", name="Camping 2027")).to_be_visible()

    team.get_by_label("R&D ticket").fill("RND-142")
    team.get_by_label("Owner in R&D").select_option(label="Pia")
    team.locator("#promote-note").fill("Our lab builds the first prototypes.")
    team.get_by_role("button", name="Promote into R&D").click()
    expect(team.get_by_text("RND-142").first).to_be_visible()
    team.screenshot(path=screenshot_dir / "evaluation.png", full_page=True)

    team.goto(f"{base}/admin/product/shortlists/{shortlist.pk}/ideas/")
    expect(team.get_by_text("Ask Ana for sketches.")).to_be_visible()
    with team.expect_download() as download:
        team.get_by_role("button", name="CSV").click()
    rows = list(
        csv.DictReader(io.StringIO(download.value.path().read_text("utf-8-sig")))
    )
    assert [row["Title"] for row in rows] == ["A tent that pitches itself"]
    assert rows[0]["Shortlist note"] == "Ask Ana for sketches."

    reader = browser.new_context(viewport=DESKTOP).new_page()
    log_in(reader, base, author.email, idea.get_absolute_url())
    expect(reader.get_by_text("On our 2027 list.")).to_be_visible()
    expect(reader.get_by_text("Our lab builds the first prototypes.")).to_be_visible()
    expect(reader.get_by_text("RND-142")).to_have_count(0)
    # Two status changes, and the points each of them earned the author.
    expect(reader.locator(".bell-count")).to_have_text("4")
    reader.locator(".nav-bell").click()
    expect(
        reader.get_by_text("“A tent that pitches itself” is now: In R&D")
    ).to_be_visible()
    reader.screenshot(path=screenshot_dir / "author-hears.png", full_page=True)
