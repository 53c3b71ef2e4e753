"""Validation of content items with pydantic (only when ``data/`` is read and checked).

The content models are frozen dataclasses (``widgets.content.Model``) whose fields
carry pydantic's constraints as metadata. Here each model gets a pydantic twin,
built once from the dataclass's own fields and types, with the course's strict
settings; an item is validated by the twin, then built as the dataclass (which
runs its ``__post_init__`` checks). So the schema is written once, errors keep
pydantic's wording and locations, and a kernel that reads the validated snapshot
never imports this module.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic_core import PydanticUndefined

from .base import FieldError, Model

# strict: "yes" is not a bool and "2019" is not a year; extra keys are typos.
_CONFIG = ConfigDict(extra="forbid", frozen=True, strict=True, str_strip_whitespace=True)


class Problem(Exception):
    """The first thing wrong with an item: where (``loc``), what, and what was given."""

    def __init__(self, loc: tuple[Any, ...], problem: str, got: str | None):
        super().__init__(problem)
        self.loc, self.problem, self.got = loc, problem, got


def validate(model: type[Model], raw: dict[str, Any]) -> Any:
    """``raw`` checked against ``model`` and built as it; ``Problem`` if it is wrong."""
    try:
        checked = twin(model).model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        if err["type"] == "missing":
            raise Problem(tuple(err["loc"]), "is missing", None) from None
        got = repr(err["input"]) if "input" in err and err["type"] != "extra_forbidden" else None
        raise Problem(tuple(err["loc"]), err["msg"].removeprefix("Value error, "), got) from None
    try:
        return _built(checked)
    except FieldError as exc:
        raise Problem((exc.field,), str(exc), repr(exc.value)) from None
    except ValueError as exc:
        raise Problem((), str(exc), None) from None


_MODEL_OF: dict[type[BaseModel], type[Model]] = {}


@cache
def twin(model: type[Model]) -> type[BaseModel]:
    """The pydantic model with ``model``'s fields, types and constraints."""
    hints = typing.get_type_hints(model)
    fields: dict[str, Any] = {}
    for field in dataclasses.fields(model):
        default = PydanticUndefined if field.default is dataclasses.MISSING else field.default
        fields[field.name] = (_swap(hints[field.name]), Field(default, **field.metadata))
    checked = create_model(model.__name__, __config__=_CONFIG, **fields)
    _MODEL_OF[checked] = model
    return checked


def _swap(tp: Any) -> Any:
    """``tp`` with every content model in it replaced by its twin (``list[Option]``...)."""
    if isinstance(tp, type) and issubclass(tp, Model):
        return twin(tp)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is None or origin is Literal or not args:
        return tp
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return list[_swap(args[0])]  # YAML gives a list; the model keeps a tuple
    swapped = tuple(_swap(arg) for arg in args)
    if origin in (Union, types.UnionType):
        return Union[swapped]  # noqa: UP007 (built from a tuple)
    return origin[swapped if len(swapped) > 1 else swapped[0]]


def _built(value: Any) -> Any:
    if isinstance(value, BaseModel):
        model = _MODEL_OF[type(value)]
        return model(
            **{
                field.name: _built(getattr(value, field.name))
                for field in dataclasses.fields(model)
            }
        )
    if isinstance(value, list):
        return tuple(_built(item) for item in value)
    return value
