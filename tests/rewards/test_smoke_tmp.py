from ideas import voting
from rewards.models import Wallet


def test_smoke(idea, bob, clean_audit):
    voting.support(member=bob, idea=idea)
    assert Wallet.objects.get(member=idea.author).available == 2
    assert Wallet.objects.get(member=bob).available == 1
    voting.withdraw_support(member=bob, idea=idea)
    assert Wallet.objects.get(member=idea.author).available == 0
