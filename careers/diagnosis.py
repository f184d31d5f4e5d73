"""適職診断: the form, and scoring as pure functions over plain data.

Scoring never touches the database, so the result for a set of answers is fixed
by the answers and the role order alone (and is easy to test).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django import forms

MAX_WEIGHT = 3
# The reasons shown under each recommended role: its strongest contributions.
MAX_REASONS = 3
TOP_ROLES = 3


@dataclass(frozen=True)
class Choice:
    """One answer the reader chose: its reason phrase and its points per role key."""

    reason: str
    weights: Mapping[str, int]


@dataclass(frozen=True)
class RoleScore:
    key: str  # `office/role`
    score: int
    reasons: tuple[str, ...]  # the reader's own answers behind the score, strongest first


def weight_problems(weights, known_keys):
    """What is wrong with an answer's weights: (role key, Japanese message) pairs."""
    if not isinstance(weights, Mapping):
        return [(None, "配点は「職種のキー: 点数」の形で書いてください")]
    problems = []
    for key, points in weights.items():
        if key not in known_keys:
            problems.append(
                (key, f"職種 '{key}' はありません（'<部門>/<職種>' の形で書いてください）")
            )
        if isinstance(points, bool) or not isinstance(points, int) or not 0 <= points <= MAX_WEIGHT:
            problems.append((key, f"'{key}' の配点は 0〜{MAX_WEIGHT} の整数にしてください"))
    return problems


def score_roles(choices: Iterable[Choice], role_keys: Sequence[str]) -> list[RoleScore]:
    """Every role in `role_keys` with its score, best first; ties keep `role_keys` order.

    A role's reasons are the reason phrases of the chosen answers that gave it
    points: the highest points first, then in question order.
    """
    position = {key: index for index, key in enumerate(role_keys)}
    totals = dict.fromkeys(role_keys, 0)
    contributions = {key: [] for key in role_keys}
    for index, choice in enumerate(choices):
        for key, points in choice.weights.items():
            if key in totals and points > 0:
                totals[key] += points
                contributions[key].append((-points, index, choice.reason))
    ranked = sorted(role_keys, key=lambda key: (-totals[key], position[key]))
    return [
        RoleScore(
            key,
            totals[key],
            tuple(reason for _, _, reason in sorted(contributions[key])[:MAX_REASONS]),
        )
        for key in ranked
    ]


def max_scores(questions: Iterable[Iterable[Mapping[str, int]]]) -> dict[str, int]:
    """The most points each role can get: per question, its best answer's weight for the role.

    `questions` gives, for each question, the weights of its answers. A role's
    score is out of this number (a role no answer gives points has none here).
    """
    totals: dict[str, int] = {}
    for answers in questions:
        best: dict[str, int] = {}
        for weights in answers:
            for key, points in weights.items():
                best[key] = max(best.get(key, 0), points)
        for key, points in best.items():
            totals[key] = totals.get(key, 0) + points
    return totals


@dataclass(frozen=True)
class OfficeScore:
    slug: str
    best: int  # the score of its best-fitting role
    average: Fraction  # the average score of its roles


def rank_offices(role_scores: Iterable[RoleScore], office_slugs: Sequence[str]):
    """Offices best first: by their best role's score, then by the average of their
    roles, then in `office_slugs` order. Offices without scored roles are left out.

    The best role comes first so that the recommended office is the one where
    the reader's top role is; the average only settles ties between offices.
    """
    scores = {slug: [] for slug in office_slugs}
    for role_score in role_scores:
        office = role_score.key.partition("/")[0]
        if office in scores:
            scores[office].append(role_score.score)
    order = {slug: index for index, slug in enumerate(office_slugs)}
    ranked = [
        OfficeScore(slug, max(values), Fraction(sum(values), len(values)))
        for slug, values in scores.items()
        if values
    ]
    return sorted(ranked, key=lambda office: (-office.best, -office.average, order[office.slug]))


class DiagnosisForm(forms.Form):
    """One required radio group per question, named by the question's slug."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[question.slug] = forms.ChoiceField(
                label=question.text,
                choices=[(answer.slug, answer.label) for answer in question.answers.all()],
                widget=forms.RadioSelect,
                error_messages={
                    "required": "この質問に答えていません。いちばん近いものを1つ選んでください。",
                    "invalid_choice": "選択肢の中から1つ選んでください。",
                },
            )

    def experience(self) -> str:
        """The role key of the reader's current work, if an answer chosen names one (or "")."""
        return next((a.experience for a in self.chosen_answers() if a.experience), "")

    def chosen_answers(self):
        """The chosen answer of each question, in question order (after is_valid())."""
        chosen = []
        for question in self.questions:
            slug = self.cleaned_data[question.slug]
            chosen.append(next(a for a in question.answers.all() if a.slug == slug))
        return chosen
