"""The people: the four demo accounts with their roles, and the community."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils.text import slugify

from cocreate.demo.context import HISTORY_DAYS, LANGUAGES, Demo, in_language
from cocreate.demo.pictures import PALETTES, draw_avatar
from cocreate.images import process_avatar
from cocreate.members import consents
from cocreate.members.models import ConsentRecord, ConsentSource, LegalKind, User

DEMO_ACCOUNTS = (
    ("member@example.com", "Demo Member", None),
    ("moderator@example.com", "Demo Moderator", "Moderators"),
    ("product@example.com", "Demo Product Team", "Product team"),
    ("editor@example.com", "Demo Editor", "Editors"),
)
MEMBER_NAMES = (
    "Amélie Laurent", "Jonas Becker", "Sofia Rossi", "Liam O'Brien", "Inès Moreau",
    "Mateo García", "Hanna Nilsson", "Noah Dubois", "Chloé Martin", "Lucas Fernandes",
    "Emma Visser", "Yusuf Demir", "Clara Schmidt", "Arthur Lefèvre", "Maya Cohen",
    "Elias Novak", "Léa Girard", "Oscar Lindqvist", "Zoé Bernard", "Karim Haddad",
    "Nina Kowalska", "Hugo Petit", "Aiko Tanaka", "Tomás Silva", "Freya Jensen",
    "Samuel Okafor", "Alice Marchand", "Pablo Ortega", "Julia Horváth", "Théo Roux",
)  # fmt: skip
#: The English demo's French speakers: they write their ideas and comments in
#: French among the English ones (in the French demo everybody speaks French).
FRENCH_SPEAKERS = (
    "ines.moreau@example.com",
    "chloe.martin@example.com",
    "arthur.lefevre@example.com",
    "lea.girard@example.com",
    "theo.roux@example.com",
)
NUMBERED_MEMBER = "Member {n}"


def member_language(demo: Demo, email: str) -> str:
    """The language a demo member reads and writes in; blank (the browser's) for
    the English demo's English speakers, as at sign-up without a choice."""
    if demo.language != "en":
        return demo.language
    return "fr" if email in FRENCH_SPEAKERS else ""


def writes_in(user: User) -> str:
    """The language a demo member writes ideas and comments in: their own, if
    the demo is written in it, else English."""
    return user.language if user.language in LANGUAGES else "en"


def member_names(language: str) -> tuple[str, ...]:
    return in_language(language, "MEMBER_NAMES", MEMBER_NAMES)


def public_name(full_name: str) -> str:
    """Show "Amélie Laurent" as "Amélie L.", the way members tend to sign."""
    first, _space, last = full_name.partition(" ")
    return f"{first} {last[0]}." if last else first


def email_for(full_name: str) -> str:
    return slugify(full_name).replace("-", ".") + "@example.com"


def seed_accounts(demo: Demo) -> dict[str, User]:
    accounts = {}
    joined = demo.now - datetime.timedelta(days=HISTORY_DAYS + 14)
    for email, display_name, group in demo.text("DEMO_ACCOUNTS", DEMO_ACCOUNTS):
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(
                email=email,
                display_name=display_name,
                language=member_language(demo, email),
                password=demo.password_hash,
                is_staff=group is not None,
                date_joined=joined,
            )
            EmailAddress.objects.create(
                user=user, email=email, verified=True, primary=True
            )
            if email == "member@example.com":
                give_avatar(user, display_name, PALETTES[2][0])
                user.save(update_fields=["avatar"])
        if group:
            # Also on existing accounts: roles are groups, created by a migration.
            user.groups.add(Group.objects.get(name=group))
        accounts[email] = user
    return accounts


def give_avatar(user: User, name: str, colour: str) -> None:
    upload = ContentFile(draw_avatar(name, colour), name="avatar.png")
    avatar = process_avatar(upload, name=f"avatar-{user.pk}")
    user.avatar.save(avatar.name, avatar, save=False)


def seed_members(demo: Demo, extra: int = 0) -> list[User]:
    """The community: 30 named members, and numbered ones when a set needs more."""
    rng = demo.rng(f"members:{extra}")
    names = member_names(demo.language)
    numbered = demo.text("NUMBERED_MEMBER", NUMBERED_MEMBER)
    wanted = [(email_for(name), public_name(name)) for name in names]
    wanted += [
        (f"demo-member-{n:05d}@example.com", numbered.format(n=n))
        for n in range(len(names) + 1, len(names) + extra + 1)
    ]
    emails = [email for email, _name in wanted]
    existing = set(
        User.objects.filter(email__in=emails).values_list("email", flat=True)
    )
    new = [
        User(
            email=email,
            display_name=name,
            language=member_language(demo, email),
            password=demo.password_hash,
            date_joined=demo.now
            - datetime.timedelta(days=HISTORY_DAYS + rng.randint(1, 60)),
        )
        for email, name in wanted
        if email not in existing
    ]
    if new:
        new = User.objects.bulk_create(new, batch_size=500)
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=user, email=user.email, verified=True, primary=True)
                for user in new
            ],
            batch_size=500,
        )
        named = {email_for(name) for name in names}
        with_avatar = [
            user for user in new if user.email in named and rng.random() < 0.65
        ]
        for user in with_avatar:
            give_avatar(user, user.display_name, rng.choice(PALETTES)[0])
        User.objects.bulk_update(with_avatar, ["avatar"])
    return list(User.objects.filter(email__in=emails).order_by("pk"))


def seed_consents(users: list[User]) -> int:
    """Every demo member accepted the current terms and privacy policy when they
    joined: one record each, like a sign-up makes."""
    versions = consents.current_legal_versions()
    if not versions:
        return 0
    terms = next((v for v in versions if v.kind == LegalKind.TERMS), versions[0])
    accepted = set(
        ConsentRecord.objects.filter(
            member__in=users, purpose=terms.kind, version=terms.version
        ).values_list("member_id", flat=True)
    )
    new = [
        ConsentRecord(
            member=user,
            purpose=version.kind,
            granted=True,
            version=version.version,
            text=f"{version.title} ({version.url})",
            source=ConsentSource.SIGNUP,
            created_at=user.date_joined,
        )
        for user in users
        if user.pk not in accepted
        for version in versions
    ]
    ConsentRecord.objects.bulk_create(new, batch_size=500)
    User.objects.filter(pk__in=[user.pk for user in users]).update(terms_pending=False)
    return len(new)
