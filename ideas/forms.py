"""Forms validate shape only; the services decide what is allowed."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocreate import ratelimit
from cocreate.i18n import written_in
from cocreate.images import ImageRejected, validate_image
from cocreate.page_translations import in_default_language
from cocreate.params import IdChoiceField
from cocreate.text import SingleLineCharField
from cocreate.uploads import RefusedUploadsMixin
from ideas.models import (
    CampaignPage,
    Category,
    ModerationReason,
    ReportReason,
    access,
)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleImageInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault(
            "accept", "image/jpeg,image/png,image/gif,image/webp"
        )

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [
            super(MultipleImageField, self).clean(item, initial) for item in files
        ]
        return [item for item in cleaned if item]


class IdeaForm(RefusedUploadsMixin, forms.Form):
    """The text is checked first: images are decoded only once it is right, only
    if the upload limits refused nothing, and within the member's ``image`` rate
    limit, since decoding costs seconds and memory."""

    title = SingleLineCharField(label=_("Title"), max_length=140)
    description = forms.CharField(
        label=_("Description"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown works: **bold**, *italic*, lists and links."),
    )
    campaign = IdChoiceField(
        label=_("Campaign"),
        queryset=CampaignPage.objects.none(),
        required=False,
        empty_label=_("No campaign (open box)"),
    )
    category = IdChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False
    )
    language = forms.ChoiceField(
        label=_("Language of your idea"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("Members can find ideas written in their language."),
    )
    tags = SingleLineCharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas."),
    )
    images = MultipleImageField(
        label=_("Images"),
        help_text=_("Up to 5 images: JPEG, PNG, GIF or WebP."),
    )

    def __init__(
        self,
        *args,
        editing: bool = False,
        existing_images: int = 0,
        member=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.existing_images = existing_images
        self.member = member
        #: Images were sent but not checked, because something else was wrong.
        self.images_unchecked = False
        # The member's current language unless the idea already has one.
        self.fields["language"].initial = self.initial.get("language") or written_in()
        if editing:
            del self.fields["campaign"]
        else:
            # Private campaigns are offered to those they admit (``member``) only.
            closed = (
                access.restricted_campaigns()
                if member is None
                else access.closed_campaigns(member)
            )
            today = timezone.localdate()
            self.fields["campaign"].queryset = (
                in_default_language(CampaignPage.objects.live())
                .exclude(pk__in=sorted(closed))
                .filter(starts_on__lte=today)
                .exclude(ends_on__lt=today)
                .order_by("title")
            )

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags", "")
        return [tag.strip() for tag in raw.split(",") if tag.strip()]

    def clean_images(self):
        images = self.cleaned_data.get("images") or []
        limit = settings.COCREATE_MAX_IMAGES_PER_IDEA
        if len(images) + self.existing_images > limit:
            raise forms.ValidationError(
                _("You can add at most %(limit)d images to an idea."),
                params={"limit": limit},
            )
        return images

    def clean(self):
        cleaned = super().clean()
        campaign = cleaned.get("campaign")
        category = cleaned.get("category")
        if campaign and category:
            allowed = set(campaign.categories.values_list("pk", flat=True))
            if allowed and category.pk not in allowed:
                self.add_error(
                    "category",
                    _("This category is not part of the campaign you chose."),
                )
        images = cleaned.get("images") or []
        if images and (self.errors or self.upload_refusals):
            self.images_unchecked = True
        elif images:
            self._check_images(images)
        return cleaned

    def _check_images(self, images) -> None:
        key = str(self.member.pk) if self.member is not None else ""
        errors = []
        for image in images:
            if key and not ratelimit.hit("image", key):
                self.add_error(
                    "images",
                    _(
                        "You have sent many images in a short time; please try "
                        "again later."
                    ),
                )
                return
            try:
                validate_image(image)
            except ImageRejected as exc:
                errors.append(forms.ValidationError(str(exc)))
        if errors:
            self.add_error("images", errors)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you report this?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    duplicate_of = SingleLineCharField(
        label=_("Link or number of the idea it duplicates"),
        required=False,
        max_length=300,
    )
    text = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_duplicate_of(self) -> int | None:
        """Accept "42", "#42" or a link to /ideas/42/."""
        raw = self.cleaned_data["duplicate_of"].strip()
        if not raw:
            return None
        match = re.search(r"(?:/ideas/|#|^)(\d+)/?\s*$", raw)
        if not match:
            raise forms.ValidationError(
                _("Paste the link of the other idea, or its number.")
            )
        return int(match.group(1))


class OfficialAnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Official answer"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    note = forms.CharField(
        label=_("Public note"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author, supporters and followers read it."),
    )

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in statuses]


class HideForm(forms.Form):
    """Why content is hidden: a reusable reason, or words of the moderator's own
    (the service refuses when both are empty)."""

    template = IdChoiceField(
        queryset=ModerationReason.objects.all(),
        required=False,
        label=_("Reason"),
        empty_label=_("Write a reason below"),
    )
    reason = forms.CharField(
        required=False,
        label=_("Reason, sent to the author"),
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
