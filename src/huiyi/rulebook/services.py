"""Rulebook versions as a service: which rules are in force, for the organisation and for each project."""

import functools

from django.db import transaction
from django.utils import timezone

from .loader import DEFAULT_RULEBOOK_PATH, Rulebook, load_rulebook
from .models import RulebookVersion


@transaction.atomic
def ensure_default_version() -> RulebookVersion:
    """The shipped standard.yaml becomes version 1, active, the first time the database is set up."""
    existing = RulebookVersion.objects.order_by("number").first()
    if existing is not None:
        return existing
    rulebook = load_rulebook(DEFAULT_RULEBOOK_PATH)
    return RulebookVersion.objects.create(
        number=1,
        title=rulebook.title.as_dict()
        if rulebook.title
        else {"zh-hans": "默认规则库", "en": "Default rulebook"},
        data=rulebook.as_data(),
        digest=rulebook.digest,
        status=RulebookVersion.Status.ACTIVE,
        change_note="standard.yaml",
        activated_at=timezone.now(),
    )


def active_version() -> RulebookVersion:
    version = RulebookVersion.objects.filter(status=RulebookVersion.Status.ACTIVE).first()
    return version or ensure_default_version()


@functools.lru_cache(maxsize=32)
def _load(digest: str, version_pk: int) -> Rulebook:
    # Keyed by digest: a version's data never changes once active, and a draft's digest moves with every edit.
    return load_rulebook(RulebookVersion.objects.get(pk=version_pk).data)


def rulebook_of(version: RulebookVersion) -> Rulebook:
    return _load(version.digest, version.pk)


def active_rulebook() -> Rulebook:
    return rulebook_of(active_version())


def rulebook_for(project) -> Rulebook:
    """The rules a project is measured by: the version pinned when it was created."""
    return rulebook_of(project.rulebook_version)
