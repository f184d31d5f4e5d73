"""Where a consultation request came from, stored in `ConsultationRequest.source`.

The one definition of the format: `page:<key>` for the button on a guide page
(`page:middle` or `page:middle/risk-management`), `diagnosis:<key>,<key>,…` for
the 適職診断's result (its recommended roles, best first), and "" for the form
opened directly. Keys are interest keys (`office` or `office/role`).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

DIAGNOSIS_KEYS_LIMIT = 3


class SourceKind(StrEnum):
    DIRECT = ""
    PAGE = "page"
    DIAGNOSIS = "diagnosis"


KIND_LABELS = {SourceKind.PAGE: "ガイドのページ", SourceKind.DIAGNOSIS: "適職診断の結果"}


@dataclass(frozen=True)
class Source:
    """A request's source: its kind and the interest keys it names (at most 3)."""

    kind: SourceKind = SourceKind.DIRECT
    keys: tuple[str, ...] = ()

    @classmethod
    def page(cls, key: str) -> "Source":
        """The button on the guide page about `key` (`office` or `office/role`)."""
        return cls(SourceKind.PAGE, (key,))

    @classmethod
    def diagnosis(cls, keys: Iterable[str]) -> "Source":
        """The 適職診断's result naming `keys`, once each, at most 3; direct if none."""
        keys = tuple(dict.fromkeys(keys))[:DIAGNOSIS_KEYS_LIMIT]
        return cls(SourceKind.DIAGNOSIS, keys) if keys else cls()

    @classmethod
    def parse(cls, text: str, *, known_keys: Iterable[str]) -> "Source":
        """The source `text` names, keeping only keys in `known_keys`.

        Anything this site does not make (unknown kind, unknown key) gives the
        direct source: a hidden field is never trusted.
        """
        known = set(known_keys)
        kind, _, rest = text.partition(":")
        if kind == SourceKind.PAGE and rest in known:
            return cls.page(rest)
        if kind == SourceKind.DIAGNOSIS:
            return cls.diagnosis(key for key in rest.split(",") if key in known)
        return cls()

    def __str__(self) -> str:
        """The stored form: `page:front/sales`, `diagnosis:a/b,c/d`, or ""."""
        if self.kind == SourceKind.DIRECT:
            return ""
        return f"{self.kind}:{','.join(self.keys)}"

    def describe(self, labels: Mapping[str, str]) -> str:
        """In words for agents: 「ガイドのページ（営業）」; `labels` maps keys to names."""
        if self.kind == SourceKind.DIRECT:
            return "相談フォームへ直接"
        names = "、".join(labels.get(key, key) for key in self.keys)
        return f"{KIND_LABELS[self.kind]}（{names}）"


def stored_source(text: str) -> Source:
    """The Source of a stored `ConsultationRequest.source` (written by this module)."""
    kind, _, rest = text.partition(":")
    try:
        return Source(SourceKind(kind), tuple(key for key in rest.split(",") if key))
    except ValueError:  # not a kind this module writes
        return Source()
