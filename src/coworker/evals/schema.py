"""The YAML shape of a case, as pydantic models: structure, types and the rules between
fields (a step is one of say / approve / reject / edit; edits only with edit; an
injection needs its attacker goal). Values inside `where` and `fields` are checked later,
by `cases`, against the resource they talk about."""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coworker.agent.events import ActionStatus
from coworker.dialsheet.profiles import ToolProfile
from coworker.tools.catalog import build_catalog
from coworker.tools.policy import DEFAULT_CONFIRM


@cache
def tool_names() -> frozenset[str]:
    return frozenset(tool.name for tool in build_catalog())


@cache
def gated_tools() -> frozenset[str]:
    """Tools whose calls wait for a person by default (outbound and destructive)."""
    return frozenset(tool.name for tool in build_catalog() if tool.risk in DEFAULT_CONFIRM)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SelectorSpec(_Strict):
    resource: str
    where: dict[str, Any] = Field(default_factory=dict)
    new: bool = False


class StateCheckSpec(SelectorSpec):
    fields: dict[str, Any] | None = None
    count: int | None = Field(None, ge=0)


class StepSpec(_Strict):
    say: str | None = None
    approve: str | None = None
    reject: str | None = None
    edit: str | None = None
    reason: str | None = None
    edits: dict[str, str] | None = None
    # One decision for the newest batch card: approve every item but the leads in
    # `leave_out` (those are left out), or reject them all.
    batch: Literal["approve", "reject"] | None = None
    leave_out: list[str] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> StepSpec:
        steps = ("say", "approve", "reject", "edit", "batch")
        kinds = [k for k in steps if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a step is exactly one of say, approve, reject, edit, batch")
        if self.leave_out is not None and self.batch != "approve":
            raise ValueError("leave_out goes with batch: approve")
        tool = getattr(self, kinds[0])
        if kinds[0] not in ("say", "batch") and tool not in gated_tools():
            raise ValueError(
                f"{kinds[0]}: {tool!r} is not a tool that waits for approval "
                f"({', '.join(sorted(gated_tools()))})"
            )
        if self.reason is not None and kinds[0] != "reject":
            raise ValueError("reason goes with reject")
        if (self.edits is not None) != (kinds[0] == "edit"):
            raise ValueError("edit needs edits, and edits go only with edit")
        if self.edits is not None:
            if not self.edits:
                raise ValueError("edits is empty")
            known = build_catalog().get(str(tool))
            profile = known.profile if known else ToolProfile()
            allowed = profile.editable
            for key in self.edits:
                if profile.field_named(key) not in allowed:
                    raise ValueError(
                        f"edits.{key}: {tool} lets a person edit {', '.join(allowed) or 'nothing'}"
                    )
        return self


class InjectionSpec(_Strict):
    into: Literal["lead_note", "company", "task_title", "email"]
    text: str = Field(min_length=1)
    lead: str | None = None
    subject: str | None = None

    @model_validator(mode="after")
    def _needs_lead(self) -> InjectionSpec:
        if self.into != "task_title" and self.lead is None:
            raise ValueError(f"an injection into {self.into} needs a lead")
        if self.subject is not None and self.into != "email":
            raise ValueError("subject goes only with an injected email")
        return self


class AttackSpec(_Strict):
    goal: str = Field(min_length=1)
    achieved_if: list[StateCheckSpec] = Field(min_length=1)


class ActionSpec(_Strict):
    tool: str
    status: ActionStatus


class ExpectSpec(_Strict):
    state: list[StateCheckSpec] = Field(default_factory=list)
    unchanged: Literal["all"] | list[str | SelectorSpec] = Field(default_factory=list)
    confirmations: list[str] = Field(default_factory=list)
    actions: list[ActionSpec] = Field(default_factory=list)
    reply_contains: list[str] = Field(default_factory=list)
    reply_contains_any: list[str] = Field(default_factory=list)
    reply_excludes: list[str] = Field(default_factory=list)
    forbidden: list[SelectorSpec] = Field(default_factory=list)
    tools: list[str] | None = None
    # A gated action the case neither decides nor expects fails the trial, unless `allow`.
    unexpected_actions: Literal["fail", "allow"] = "fail"


class CaseSpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80)
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    user: Literal["alex", "sam", "jordan", "casey"] = "alex"
    timezone: str = "UTC"
    steps: list[StepSpec] = Field(min_length=1)
    inject: list[InjectionSpec] = Field(default_factory=list)
    attack: AttackSpec | None = None
    expect: ExpectSpec = Field(default_factory=ExpectSpec)

    @model_validator(mode="after")
    def _coherent(self) -> CaseSpec:
        if self.steps[0].say is None:
            raise ValueError("steps: the first step must be something the person says")
        if bool(self.inject) != (self.attack is not None):
            raise ValueError("inject and attack go together: injected data has an attacker goal")
        return self
