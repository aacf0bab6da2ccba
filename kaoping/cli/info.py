"""Commands that describe what is installed: plugins, schemes, methods, and one scheme in full."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import click

from kaoping import hookimpl
from kaoping.cli.common import Deployment, deployment_options, reports_errors, scheme_required, table_or_json_option
from kaoping.core.labels import kind_label, value_kind_label
from kaoping.core.numbers import format_points
from kaoping.core.plugins import PluginHost
from kaoping.core.results import Names
from kaoping.core.scheme import Scheme, VetoArea, count_drafts
from kaoping.io.terminal import WIDTH, render_table
from kaoping.locale import N_, _, ngettext

CAPABILITY_LABELS = {
    "indicators": N_("indicators"),
    "deductions": N_("deductions"),
    "bonuses": N_("bonuses"),
    "vetoes": N_("vetoes"),
    "grades": N_("grades"),
    "bands": N_("grade bands"),
    "quotas": N_("quotas"),
}
STATUS_LABELS = {"complete": N_("complete"), "partial": N_("partial"), "draft": N_("draft")}
SOURCE_LABELS = {"built-in": N_("built-in"), "entry point": N_("entry point"), "config": N_("deployment file")}


def scheme_status(host: PluginHost, scheme_id: str) -> dict[str, Any]:
    entry = host.schemes[scheme_id]
    status = entry.data.get("status", {})
    complete = bool(status.get("complete", False))
    missing = list(status.get("missing", [] if complete else ["status not declared"]))
    required = [
        f"{kind[:-1]} {item.get('id')}: {', '.join(item.get('required', []))}"
        for kind in ("indicators", "rules")
        for item in entry.data.get(kind, [])
        if item.get("required")
    ]
    declared = entry.data.get("parameters", {}).get("required", [])
    if declared:
        required.append(f"parameters: {', '.join(declared)}")
    grading = entry.data.get("grading", {})
    needs = list(grading.get("required", []))
    if grading.get("required_grades"):
        needs.append(f"a band or quota for each of {'、'.join(grading['required_grades'])}")
    if needs:
        required.append(f"grading: {', '.join(n.replace('_or_', ' or ') for n in needs)}")
    return {
        "id": scheme_id,
        "name": entry.data.get("name", ""),
        "locality": entry.data.get("locality", ""),
        "year": entry.data.get("year"),
        "source": entry.data.get("source", {}),
        "status": "draft" if count_drafts(entry.data) else ("complete" if complete else "partial"),
        "missing": missing,
        "drafts": count_drafts(entry.data),
        "required_parameters": required,
        "plugin": entry.plugin,
    }


def scheme_covers(host: PluginHost, scheme_id: str) -> dict[str, Any]:
    """What a scheme covers (the capabilities it uses) and what not, with the reason."""
    from kaoping.testing import scheme_coverage  # the suite's capabilities, detected or declared

    coverage = scheme_coverage(host, scheme_id)
    return {
        "covers": [name for name, reason in coverage.items() if reason is None],
        "not_covered": {name: reason for name, reason in coverage.items() if reason is not None},
    }


def plugins_payload(host: PluginHost) -> list[dict[str, Any]]:
    payload = []
    for name, info in sorted(host.info.items()):
        schemes = [
            {**scheme_status(host, s), **scheme_covers(host, s)}
            for s, e in sorted(host.schemes.items())
            if e.plugin == name
        ]
        payload.append(
            {
                "name": name,
                "version": info.version,
                "source": info.source,
                "module": info.module,
                "hooks": list(info.hooks),
                "schemes": schemes,
            }
        )
    return payload


@click.command(
    "plugins",
    help=N_(
        "List every plugin: version, source (built-in / entry point / config), hooks, schemes, their status and "
        "what they cover (indicators, deductions, bonuses, vetoes, grades, bands, quotas).\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping plugins --format json"
    ),
)
@table_or_json_option
@deployment_options
@reports_errors
def plugins_command(fmt: str, deployment: Deployment) -> None:
    """List the plugins (its help is the message id above)."""
    host = deployment.setup().host
    payload = plugins_payload(host)
    if fmt == "json":
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    rows = []
    for plugin in payload:
        schemes = ", ".join(f"{s['id']} ({_(STATUS_LABELS[s['status']])})" for s in plugin["schemes"]) or "-"
        hooks = ", ".join(h.removeprefix("kaoping_") for h in plugin["hooks"])
        source = _(SOURCE_LABELS[plugin["source"]]) if plugin["source"] in SOURCE_LABELS else plugin["source"]
        covered = {name for scheme in plugin["schemes"] for name in scheme["covers"]}
        covers = "、".join(_(label) for name, label in CAPABILITY_LABELS.items() if name in covered) or "-"
        rows.append([plugin["name"], plugin["version"], source, schemes, covers, hooks])
    headers = [_("plugin"), _("version"), _("source"), _("schemes"), _("covers"), _("hooks")]
    click.echo(render_table(headers, rows))
    for plugin in payload:
        for scheme in plugin["schemes"]:
            if scheme["status"] == "draft":
                click.echo(
                    "\n"
                    + _("{scheme} is a draft ({count} drafted items to check); missing:").format(
                        scheme=scheme["id"], count=scheme["drafts"]
                    )
                )
                for item in scheme["missing"]:
                    click.echo(f"  - {item}")
            elif scheme["status"] != "complete":
                click.echo("\n" + _("{scheme} is partial; missing:").format(scheme=scheme["id"]))
                for item in scheme["missing"]:
                    click.echo(f"  - {item}")


@click.command(
    "schemes",
    help=N_("List the registered schemes with their locality, source and status.\n\n\\b\nExample:\n  kaoping schemes"),
)
@table_or_json_option
@deployment_options
@reports_errors
def schemes_command(fmt: str, deployment: Deployment) -> None:
    """List the schemes (its help is the message id above)."""
    host = deployment.setup().host
    payload = [scheme_status(host, s) for s in sorted(host.schemes)]
    if fmt == "json":
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    rows = [
        [s["id"], s["name"], s["locality"], s["source"].get("file", ""), _(STATUS_LABELS[s["status"]]), s["plugin"]]
        for s in payload
    ]
    header = [_("scheme"), _("name"), _("locality"), _("source"), _("status"), _("plugin")]
    click.echo(render_table(header, rows))


@click.command(
    "methods",
    help=N_(
        "List the scoring methods scheme files can name, with their parameters.\n\n\\b\nExample:\n  kaoping methods"
    ),
)
@deployment_options
@reports_errors
def methods_command(deployment: Deployment) -> None:
    """List the scoring methods (its help is the message id above)."""
    host = deployment.setup().host
    for method in host.methods:
        params = ", ".join(
            p.name + ("*" if p.required else f"={p.default}" if p.default is not None else "") for p in method.params
        )
        click.echo(f"{method.name} ({kind_label(method.kind)}, {method.plugin}): {_(method.doc) if method.doc else ''}")
        if params:
            click.echo("    " + _("parameters: {params}").format(params=params))
        if method.value_kind:  # what its values are: only a ratio may be written as 85%
            kinds = " / ".join(value_kind_label(kind) for kind in method.value_kind)
            click.echo("    " + _("values: {kinds}").format(kinds=kinds))


@click.command(
    "show",
    help=N_(
        "Print a scheme readably, after the deployment's overrides.\n"
        "\n"
        "\b\n"
        "Example:\n"
        "  kaoping show fujian.zhangzhou\n"
        "  kaoping show --config kaoping.toml --county zhangzhou"
    ),
)
@click.argument("scheme_id", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help=N_("Output format.")
)
@deployment_options
@reports_errors
def show_command(
    scheme_id: str | None,
    fmt: str,
    deployment: Deployment,
) -> None:
    """Print a scheme readably (its help is the message id above)."""
    setup = deployment.setup(scheme_id)
    scheme = scheme_required(setup)
    if fmt == "json":
        click.echo(json.dumps(scheme.raw, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(describe_scheme(scheme))


def describe_scheme(scheme: Scheme) -> str:
    f = format_points
    names = scheme.names()
    status = scheme.status.label
    if scheme.status.missing:
        status += _(" (missing: {missing})").format(missing="; ".join(scheme.status.missing))
    out = [
        f"{scheme.name} ({scheme.id})",
        _("locality: {locality}    evaluates: {unit_kind}    year: {year}").format(
            locality=scheme.locality, unit_kind=scheme.unit_kind or "-", year=scheme.year or "-"
        ),
        _("source: {file} {section}")
        .format(file=scheme.source.get("file", "-"), section=scheme.source.get("section", ""))
        .rstrip(),
        _("total: {total} points, precision {precision}, rounding {rounding}").format(
            total=f(scheme.total), precision=scheme.precision, rounding=scheme.rounding
        ),
        _("status: {status}").format(status=status),
        _("plugin: {plugin}").format(plugin=scheme.plugin),
        "",
        _("groups:"),
    ]
    for group in scheme.groups:
        ranked = "" if group.ranked else _(" (not ranked)")
        pool = _(" (ranked in pool {pool})").format(pool=group.pool) if group.pool else ""
        only = (
            _("; parts {parts}").format(parts="、".join(names.part(p) for p in group.parts))
            if group.parts is not None
            else ""
        )
        listed = ngettext("{count} unit listed", "{count} units listed", len(group.roster)).format(
            count=len(group.roster)
        )
        out.append(f"  {group.id} {group.name}{ranked}{pool}: {listed}{only}")
    out += ["", _("parts:")]
    rows = [
        [
            p.id,
            p.name,
            "REQUIRED" if "points" in p.unset else f(p.points),
            "REQUIRED" if "base" in p.unset else f(p.base),
            "REQUIRED" if "floor" in p.unset else "" if p.floor is None else f"{f(p.floor)} ({p.below_floor})",
            "REQUIRED" if "cap" in p.unset else "" if p.cap is None else f(p.cap),
        ]
        for p in scheme.parts
    ]
    header = [_("part id"), _("name"), _("points"), _("base"), _("floor"), _("cap")]
    out.append(_indent(render_table(header, rows, width=INDENTED)))
    out += ["", _("indicators:")]
    rows = [
        [i.id, i.name, names.part(i.part), i.method, f(i.points), _params(i.params, i.required)]
        for i in scheme.indicators
    ]
    header = [_("indicator id"), _("name"), _("part"), _("method"), _("points"), _("parameters")]
    out.append(_indent(render_table(header, rows, width=INDENTED)))
    if scheme.rules:
        out += ["", _("rules:")]
        rows = [
            [
                r.id,
                r.name,
                _(RULE_KINDS.get(r.kind, r.kind)),
                names.part(r.part),
                r.method,
                _params(r.params, r.required),
                "" if r.cap is None else f(r.cap),
                r.same_matter,
                _("yes") if r.self_report_exempt else "",
                "/".join(f"{k} {f(v)}" for k, v in (r.joint or {}).items()),
            ]
            for r in scheme.rules
        ]
        header = [
            _("rule id"),
            _("name"),
            _("kind"),
            _("part"),
            _("method"),
            _("parameters"),
            _("cap"),
            _("same matter"),
            _("self-report exempt"),
            _("joint"),
        ]
        out.append(_indent(render_table(header, rows, width=INDENTED)))
    limits = _limit_lines(scheme)
    if limits:
        out += ["", _("limits across units:"), *limits]
    if scheme.caps:
        out += ["", _("caps:")]
        out += [
            "  "
            + _("{cap}: max {max} over {rules}").format(
                cap=c.name or c.id,
                max=f(c.limit(scheme)) + (f" ({f(c.share * 100)}% / {c.of})" if c.share is not None else ""),
                rules="、".join(
                    [names.rule(r) for r in c.rules]
                    + [names.indicator(i) for i in c.indicators]
                    + [names.part(p) for p in c.parts]
                ),
            )
            for c in scheme.caps
        ]
    if scheme.vetoes:
        out += ["", _("vetoes:")]
        for v in scheme.vetoes:
            out.append(f"  {v.id} {v.name}: {_veto_effect(v, names)}")
    g = scheme.grading
    if g.grades:
        out += [
            "",
            _("grades: {grades} (default {default}, {precedence}, ties: {on_tie})").format(
                grades=" > ".join(g.grades), default=g.default, precedence=g.precedence, on_tie=g.on_tie
            ),
        ]
        for b in g.bands:
            bounds = [
                f"{label} {f(value)}"
                for label, value in (("≥", b.at_least), (">", b.above), ("≤", b.at_most), ("<", b.below))
                if value is not None
            ]
            only = (
                _(" (groups {groups})").format(groups="、".join(names.group(x) for x in b.groups)) if b.groups else ""
            )
            out.append(
                "  "
                + _("band {grade}: total {bounds}{only}").format(
                    grade=b.grade, bounds=_(" and ").join(bounds), only=only
                )
            )
        for q in g.quotas:
            share = f"{f(q.share * 100)}% ({q.rounding})" if q.share is not None else ""
            size = ", ".join(f"{names.group(k)} {v}" for k, v in q.counts.items()) or share
            out.append("  " + _("quota {grade}: {size}").format(grade=q.grade, size=size))
        for missing in g.missing():
            out.append(
                "  " + _("REQUIRED: {missing} (the source gives none; set it in the overrides)").format(missing=missing)
            )
    if scheme.consequences:
        out += [
            "",
            _("consequences:"),
            _indent(json.dumps(scheme.consequences, ensure_ascii=False, indent=2, default=str)),
        ]
    if scheme.parameters or scheme.required_parameters:
        out += ["", _("parameters:")] + [f"  {k} = {v}" for k, v in scheme.parameters.items()]
        out += [
            "  " + _("REQUIRED: {name} (the source gives no number; set it in the overrides)").format(name=name)
            for name in scheme.missing_parameters()
        ]
    return "\n".join(out)


RULE_KINDS = {"deduction": N_("deduction"), "bonus": N_("bonus")}


def _veto_effect(veto: VetoArea, names: Names) -> str:
    if veto.effect == "deduct":
        return _("-{points} in {part}").format(
            points=format_points(veto.points or Decimal(0)), part=names.part(veto.part)
        )
    if veto.effect == "disqualify":
        return _("bars {grades}").format(grades="、".join(veto.grades))
    if veto.effect == "force_grade":
        return _("forces {grade}").format(grade=veto.grade)
    if veto.effect == "promote":
        start = _(" from {grades}").format(grades="、".join(veto.from_grades)) if veto.from_grades else ""
        return _("promotes to {grade}{start}").format(grade=veto.grade, start=start)
    return _("recorded")


def _limit_lines(scheme: Scheme) -> list[str]:
    """Bonus limits of rules and rating limits of indicators, one line each."""
    f = format_points
    lines = []
    for rule in scheme.rules:
        if rule.only_if_deducted is not None:
            condition = rule.only_if_deducted
            lines.append(
                f"  {rule.id} {rule.name}: only where more than {f(condition.above * 100)}% of units "
                f"were deducted on {', '.join(condition.items)} (scope {condition.scope})"
            )
        if rule.at_most_share is not None:
            lines.append(
                f"  {rule.id} {rule.name}: at most {f(rule.at_most_share * 100)}% of units (scope {rule.share_scope})"
            )
    for indicator in scheme.indicators:
        for limit in indicator.rating_limits:
            most = f"{f(limit.limit * 100)}% of units rated" if limit.share else f"{f(limit.limit)} units"
            rater = f" by {indicator.rated_by}" if indicator.rated_by else ""
            lines.append(f"  {indicator.id} {indicator.name}: rated {limit.level}{rater} at most {most}")
    return lines


def _params(params: Mapping[str, Any], required: tuple[str, ...]) -> str:
    shown = [f"{k}={_value(v)}" for k, v in params.items()]
    shown += [f"{name}={_('REQUIRED')}" for name in required if name not in params]
    return "; ".join(shown)


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}"
    return format_points(value) if hasattr(value, "quantize") else str(value)


INDENTED = WIDTH - 2  # tables shown under a heading, indented by two columns


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


@hookimpl
def kaoping_register_commands(cli: click.Group) -> None:
    for command in (plugins_command, schemes_command, methods_command, show_command):
        cli.add_command(command)
