"""Printer of forms.ts: each form's schema data, a Zod schema mirroring its validation, a hook.

The Zod schema is derived from the data ``<name>Schema`` answers (``describe_form``), so the
client checks what Django checks: required fields (after stripping, as ``CharField`` does),
lengths, numeric ranges and steps, email / URL (with the validator's schemes) / regex
validators, choices, dates and decimals. The server stays the authority: the hook asks
``<name>Validate`` / ``<name>Submit`` once Zod accepts.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .model import ClientModel, FormModel
from .print_core import HEADER, js

__all__ = ["print_forms"]

REQUIRED = "This field is required."
FORMAT_PATTERNS = {
    "date": (r"^\d{4}-\d{2}-\d{2}$", "Enter a valid date."),
    "date-time": (
        r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$",
        "Enter a valid date/time.",
    ),
    "time": (r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "Enter a valid time."),
    "uuid": (
        r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$",
        "Enter a valid UUID.",
    ),
    "decimal": (r"^[+-]?(\d+(\.\d*)?|\.\d+)$", "Enter a number."),
}


def _regex(pattern: str, flags: str = "") -> str:
    # A RegExp literal cannot hold every pattern safely; the constructor can.
    return f"new RegExp({js(pattern)}, {js(flags)})"


def _string_schema(field: dict[str, Any]) -> str:
    parts = ["z.string().trim()"]
    if field["required"]:
        parts.append(f".min(1, {js(REQUIRED)})")
    if field.get("minLength") is not None:
        limit = field["minLength"]
        parts.append(f".min({limit}, {js(f'Ensure this value has at least {limit} characters.')})")
    if field.get("maxLength") is not None:
        limit = field["maxLength"]
        parts.append(f".max({limit}, {js(f'Ensure this value has at most {limit} characters.')})")
    fmt = field.get("format")
    if fmt in FORMAT_PATTERNS:
        pattern, message = FORMAT_PATTERNS[fmt]
        parts.append(f".regex({_regex(pattern)}, {js(message)})")
    choices = [c["value"] for c in field.get("choices") or [] if c["value"] != ""]
    if choices:
        parts.append(
            f".refine((value) => {js(choices)}.includes(value), "
            f"{{ message: {js('Select a valid choice.')} }})"
        )
    for validator in field.get("validators") or []:
        parts.append(_validator(validator))
    return "".join(p for p in parts if p)


def _validator(validator: dict[str, Any]) -> str:
    kind = validator["kind"]
    message = validator.get("message")
    if kind == "email":
        return f".email({js(message or 'Enter a valid email address.')})"
    if kind == "url":
        schemes = "|".join(validator.get("schemes") or ["http", "https", "ftp", "ftps"])
        text = js(message or "Enter a valid URL.")
        pattern = _regex("^(" + schemes + r")://[^/?#\s]+", "i")
        return f".url({text}).regex({pattern}, {text})"
    if kind == "regex" and validator.get("pattern") is not None:
        regex = _regex(validator["pattern"], validator.get("flags") or "")
        text = js(message or "Enter a valid value.")
        if validator.get("inverseMatch"):
            return f".refine((value) => !{regex}.test(value), {{ message: {text} }})"
        return f".regex({regex}, {text})"
    if kind == "decimal":
        digits, places = validator.get("maxDigits"), validator.get("decimalPlaces")
        return (
            f".refine((value) => decimalFits(value, {js(digits)}, {js(places)}), "
            f"{{ message: {js('Ensure the number has no more digits than allowed.')} }})"
        )
    return ""


def _number_schema(field: dict[str, Any]) -> str:
    parts = [
        "z.number()" if field["jsonType"] == "number" else 'z.number().int("Enter a whole number.")'
    ]
    if field["jsonType"] == "number":
        parts.append(".finite()")
    low, high, step = field.get("minValue"), field.get("maxValue"), field.get("step")
    if isinstance(low, (int, float)):
        parts.append(
            f".min({json.dumps(low)}, "
            f"{js(f'Ensure this value is greater than or equal to {low}.')})"
        )
    if isinstance(high, (int, float)):
        parts.append(
            f".max({json.dumps(high)}, {js(f'Ensure this value is less than or equal to {high}.')})"
        )
    if isinstance(step, (int, float)) and step:
        base = low if isinstance(low, (int, float)) else 0
        parts.append(
            f".refine((value) => isStep(value, {json.dumps(step)}, {json.dumps(base)}), "
            f"{{ message: {js(f'Ensure this value is a multiple of step size {step}.')} }})"
        )
    return "".join(parts)


def field_schema(field: dict[str, Any], indent: str = "    ") -> str:
    """The Zod expression for one described form field (continuation lines at ``indent``)."""
    json_type, required = field["jsonType"], field["required"]
    if field.get("format") == "binary":
        schema = "z.any()"
        return f"{schema}.refine((value) => value != null, {js(REQUIRED)})" if required else schema
    if json_type == "boolean":
        if required:
            return f"z.boolean().refine((value) => value === true, {{ message: {js(REQUIRED)} }})"
        return "z.boolean().nullish()"
    if json_type in ("integer", "number"):
        schema = _number_schema(field)
        return schema if required else f"{schema}.nullish()"
    if json_type == "array":
        choices = [c["value"] for c in field.get("choices") or []]
        item = "z.string()"
        if choices:
            item += (
                f".refine((value) => {js(choices)}.includes(value), "
                f"{{ message: {js('Select a valid choice.')} }})"
            )
        schema = f"z.array({item})"
        return f"{schema}.min(1, {js(REQUIRED)})" if required else f"{schema}.nullish()"
    if json_type == "object":
        if required:
            return f"z.unknown().refine((value) => value != null && value !== '', {js(REQUIRED)})"
        return "z.unknown()"
    schema = _string_schema(field)
    if required:
        return schema
    # An optional field may be left empty (blank or whitespace only, as Django strips it);
    # anything else must pass the checks, whose own messages are reported.
    checked = wrap_chain(schema, indent + "    ")
    return (
        f"z.preprocess(\n{indent}  blankToUndefined,\n{indent}  {checked}\n"
        f"{indent}    .nullish(),\n{indent})"
    )


def wrap_chain(expression: str, indent: str) -> str:
    """Put each top-level ``.method(...)`` of a long Zod chain on its own line."""
    if len(expression) <= 80:
        return expression
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(expression):
        if quote:
            if char == quote and expression[index - 1] != "\\":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "." and depth == 0 and expression[index - 1] == ")":
            parts.append(expression[start:index])
            start = index
    parts.append(expression[start:])
    return f"\n{indent}".join(parts)


def _initial(field: dict[str, Any]) -> Any:
    if field.get("initial") is not None:
        return field["initial"]
    if field.get("format") == "binary":
        return None
    if field["jsonType"] == "string":
        return ""
    if field["jsonType"] == "boolean":
        return False
    if field["jsonType"] == "array":
        return []
    return None


def _form(form: FormModel, model: ClientModel) -> str:
    camel = form.name[:1].lower() + form.pascal[1:]
    fields = form.schema["fields"]
    zod_fields = "\n".join(
        f"  {js(f['name'])}: {wrap_chain(field_schema(f, '    '), '    ')}," for f in fields
    )
    initial = {f["name"]: v for f in fields if (v := _initial(f)) is not None}
    submit_op = model.operations[form.submit_field]
    validate_op = model.operations[form.validate_field]
    submission = f"T.{submit_op.result_type}[{js(form.submit_field)}]"
    validation = f"T.{validate_op.result_type}[{js(form.validate_field)}]"
    input_type = f"T.{form.input_type}"
    variables = f"T.{submit_op.variables_type}"
    schema_json = json.dumps(form.schema, indent=2, ensure_ascii=False, sort_keys=True)
    return (
        f"/** The form {js(form.name)} as {form.schema_field} describes it. */\n"
        f"export const {camel}FormSchema = {schema_json} as const;\n\n"
        f"/** Zod schema mirroring the validation of the form {js(form.name)}. */\n"
        f"export const {camel}FormZod = z.object({{\n{zod_fields}\n}});\n\n"
        f"export type {form.pascal}FormValues = {input_type};\n\n"
        f"export const {camel}FormInitial: {input_type} = "
        f"{json.dumps(initial, ensure_ascii=False, sort_keys=True)};\n\n"
        f"/** Check values with Zod only (no request): what the hook does before asking the "
        f"server. */\n"
        f"export function check{form.pascal}Form(values: {input_type}) {{\n"
        f"  return checkWithZod({camel}FormZod, values);\n"
        "}\n\n"
        f"/** State, Zod + server validation and submission of the form {js(form.name)}. */\n"
        f"export function use{form.pascal}Form(\n"
        f'  extra: Omit<{variables}, "data"> = {{}},\n'
        f"): FormState<{input_type}, {submission}> {{\n"
        "  const key = JSON.stringify(extra);\n"
        "  const spec = useMemo(\n"
        "    () => ({\n"
        f"      schema: {camel}FormZod,\n"
        f"      initial: {camel}FormInitial,\n"
        f"      validate: (data: {input_type}, client: MizanClient): Promise<{validation}> =>\n"
        f"        {form.validate_field}({{ ...(JSON.parse(key) as typeof extra), data }}, "
        "{ client }),\n"
        f"      submit: (data: {input_type}, client: MizanClient): Promise<{submission}> =>\n"
        f"        {form.submit_field}({{ ...(JSON.parse(key) as typeof extra), data }}, "
        "{ client }),\n"
        "    }),\n"
        "    [key],\n"
        "  );\n"
        "  return useForm(spec);\n"
        "}"
    )


# Functions the Zod schemas may call; only those used are printed.
HELPERS = {
    "blankToUndefined": """\
function blankToUndefined(value: unknown): unknown {
  return typeof value === "string" && value.trim() === "" ? undefined : value;
}""",
    "decimalFits": """\
function decimalFits(value: string, maxDigits: number | null, places: number | null): boolean {
  const match = /^[+-]?0*(\\d*)(?:\\.(\\d*?)0*)?$/.exec(value);
  if (match === null) return true; // the format check reports it
  const whole = match[1] ?? "";
  const fraction = match[2] ?? "";
  if (places !== null && fraction.length > places) return false;
  if (maxDigits !== null && whole.length + fraction.length > maxDigits) return false;
  if (maxDigits !== null && places !== null && whole.length > maxDigits - places) return false;
  return true;
}""",
    "isStep": """\
function isStep(value: number, step: number, base: number): boolean {
  const steps = (value - base) / step;
  return Math.abs(steps - Math.round(steps)) < 1e-9;
}""",
}


def print_forms(model: ClientModel) -> str:
    reexports = (
        'export { checkWithZod, serverErrors, useForm } from "./forms-runtime.js";\n'
        'export type { FormErrors, FormState } from "./forms-runtime.js";'
    )
    if not model.forms:
        return HEADER + "\n" + reexports + "\n"
    api = sorted({f.validate_field for f in model.forms} | {f.submit_field for f in model.forms})
    header = (
        HEADER
        + 'import { useMemo } from "react";\n'
        + 'import { z } from "zod";\n'
        + "import { "
        + ", ".join(api)
        + ' } from "./api.js";\n'
        + 'import { checkWithZod, useForm, type FormState } from "./forms-runtime.js";\n'
        + 'import type { MizanClient } from "./runtime.js";\n'
        + 'import type * as T from "./types.js";\n\n'
        + reexports
    )
    forms = [_form(form, model) for form in model.forms]
    code = "\n".join(forms)
    # Only the helpers the schemas call, so `noUnusedLocals` projects compile the file.
    helpers = [text for name, text in HELPERS.items() if re.search(rf"\b{name}\b", code)]
    return "\n\n".join([header, *helpers, *forms]) + "\n"
