"""A French-speaking member's journey on a phone, in a real browser: sign up,
confirm the email, post an idea, support another's, redeem points for a voucher.

The browser asks for French (``Accept-Language: fr-FR``) and never touches the
switcher. Every page is checked for French (its ``lang`` and the catalogue's own
words) and for French's longer strings: nothing scrolls sideways, no button or
heading spills out of its box, and no button wraps onto more than two lines.
"""

from __future__ import annotations

import datetime
import re

from django.utils import timezone, translation
from django.utils.translation import gettext

from ideas.models import Idea
from rewards import ledger
from rewards.models import Reward, RewardKind, VoucherCode, Wallet
from tests.e2e.journey import JOURNEY_MARKS, expect
from tests.e2e.test_journeys import PHONE
from tests.factories import IdeaFactory, UserFactory

pytestmark = JOURNEY_MARKS

# Elements whose text overflows their own box, and buttons wrapped over 2 lines.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    problems.push("the page scrolls sideways");
  }
  const selector = "button, .button, h1, h2, nav a, label, .badge, th";
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (!box.width || getComputedStyle(el).visibility === "hidden") continue;
    const name = el.tagName.toLowerCase() + ": " + el.textContent.trim().slice(0, 40);
    const clips = getComputedStyle(el).overflowX !== "visible";
    if (el.scrollWidth > el.clientWidth + 1 && !clips) {
      problems.push("overflows its box: " + name);
    }
    if (box.right > width + 1) problems.push("sticks out of the screen: " + name);
    if (el.matches("button, .button")) {
      const line = parseFloat(getComputedStyle(el).lineHeight) || 20;
      const padding = parseFloat(getComputedStyle(el).paddingTop)
        + parseFloat(getComputedStyle(el).paddingBottom);
      if ((box.height - padding) / line > 2.5) {
        problems.push("wraps over more than two lines: " + name);
      }
    }
  }
  return problems;
}"""


def french(message: str) -> str:
    """The catalogue's French for ``message``."""
    with translation.override("fr"):
        return gettext(message)


def looked_at(page, screenshot_dir, name: str) -> None:
    """French, laid out without overflow at phone width, and photographed."""
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.screenshot(
        path=screenshot_dir / f"fr-{name}-phone.png",
        full_page=True,
        animations="disabled",
    )
    assert page.evaluate(LAYOUT_PROBLEMS) == [], name


def test_a_french_member_signs_up_posts_supports_and_redeems_on_a_phone(
    browser, live_site, screenshot_dir
):
    base = live_site.url
    neighbour = UserFactory(display_name="Léa Lambert", language="fr")
    theirs = IdeaFactory(
        author=neighbour,
        title="Une gourde isotherme qui se plie",
        language="fr",
    )
    voucher = Reward.objects.create(
        title="Bon d’achat de 10 €", kind=RewardKind.VOUCHER, cost=1000
    )
    VoucherCode.objects.create(reward=voucher, code="BON-2027-FR")

    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()

    # Sign up in French.
    page.goto(f"{base}/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("input[name=email]").fill("camille@example.com")
    page.locator("input[name=display_name]").fill("Camille Dupont")
    page.locator("input[name=password1]").fill("randonnee-2027!")
    page.locator("input[name=password2]").fill("randonnee-2027!")
    looked_at(page, screenshot_dir, "signup")
    page.locator(
        "form.signup button[type=submit], main form button[type=submit]"
    ).last.click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))

    # The confirmation email is in French, and its link logs the member in.
    message = next(
        m for m in live_site.emails() if "camille@example.com" in m.get("To", "")
    )
    assert re.search(r"[Cc]onfirm|adresse", str(message.get("Subject")) + str(message))
    link = next(
        link
        for link in live_site.links_in_mail_to("camille@example.com")
        if "/accounts/confirm-email/" in link
    )
    page.goto(link)
    looked_at(page, screenshot_dir, "confirm")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator(".nav-member")).to_contain_text("Camille Dupont")

    # Post an idea: the form, its labels and its confirmation are French.
    page.goto(f"{base}/ideas/new/")
    assert french("Publish idea") != "Publish idea"
    expect(page.get_by_role("button", name=french("Publish idea"))).to_be_visible()
    looked_at(page, screenshot_dir, "new-idea")
    page.get_by_label(french("Title")).fill("Des lacets qui ne se défont jamais")
    page.get_by_label(french("Description")).fill(
        "Un laçage rapide à cran, pour courir sans s’arrêter à chaque kilomètre."
    )
    page.get_by_role("button", name=french("Publish idea")).click()
    page.wait_for_url(re.compile(r"/ideas/\d+/$"))
    mine = Idea.objects.get(title="Des lacets qui ne se défont jamais")
    assert mine.language == "fr"
    looked_at(page, screenshot_dir, "idea")

    # Support someone else's idea; the count speaks French.
    page.goto(f"{base}/ideas/{theirs.pk}/")
    page.get_by_role("button", name=french("Support this idea")).click()
    expect(page.locator(f'[data-idea-supports="{theirs.pk}"]')).to_have_text("1")
    expect(page.locator("#support-box .support-count")).to_contain_text(
        translation_of_count("supporter", "supporters", 1)
    )
    looked_at(page, screenshot_dir, "supported")

    # The list of ideas, in French, with both ideas' cards.
    page.goto(f"{base}/ideas/")
    expect(page.locator(f"#idea-{theirs.pk}")).to_be_visible()
    looked_at(page, screenshot_dir, "ideas")

    # Redeem points: the balance and the wallet in French formats.
    member = mine.author
    member.date_joined = timezone.now() - datetime.timedelta(days=30)
    member.save(update_fields=["date_joined"])
    admin = UserFactory(is_staff=True, is_superuser=True)
    ledger.adjust(member=member, amount=1500, memo="Prix", actor=admin)
    available = Wallet.objects.get(member=member).available  # posting earned some
    assert available >= 1500
    page.goto(f"{base}/rewards/")
    # French groups thousands with a (narrow) no-break space.
    thousands = f"{available // 1000}[\\s\u202f\u00a0]{available % 1000:03d}"
    expect(page.locator(".nav-points")).to_contain_text(re.compile(thousands))
    looked_at(page, screenshot_dir, "rewards")
    page.get_by_role("link", name="Bon d’achat de 10 €").first.click()
    looked_at(page, screenshot_dir, "reward")
    page.get_by_role("button", name=french("Redeem")).click()
    page.wait_for_url(f"{base}/rewards/wallet/")
    expect(page.get_by_text("BON-2027-FR").first).to_be_visible()
    expect(page.locator(".nav-points")).to_contain_text(f"{available - 1000} points")
    looked_at(page, screenshot_dir, "wallet")

    context.close()


def translation_of_count(singular: str, plural: str, count: int) -> str:
    with translation.override("fr"):
        text = translation.ngettext(singular, plural, count)
    assert text != singular
    return text
