"""Commands that describe what is installed: plugins, schemes, methods, and one scheme in full."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import click

from kaoping.cli.common import Deployment, deployment_options, reports_errors, scheme_required
from kaoping.core.numbers import format_points
from kaoping.core.plugins import PluginHost
from kaoping.core.scheme import Scheme, VetoArea, count_drafts
from kaoping.io.report import render_table
from kaoping.locale import _


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


def plugins_payload(host: PluginHost) -> list[dict[str, Any]]:
    payload = []
    for name, info in sorted(host.info.items()):
        schemes = [scheme_status(host, s) for s, e in sorted(host.schemes.items()) if e.plugin == name]
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


@click.command("plugins")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@deployment_options
@reports_errors
def plugins_command(fmt: str, deployment: Deployment) -> None:
    """List every plugin: version, source (built-in / entry point / config), hooks, schemes and status.

    \b
    Example:
      kaoping plugins --format json
    """
    host = deployment.setup().host
    payload = plugins_payload(host)
    if fmt == "json":
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    rows = []
    for plugin in payload:
        schemes = ", ".join(f"{s['id']} ({s['status']})" for s in plugin["schemes"]) or "-"
        hooks = ", ".join(h.removeprefix("kaoping_") for h in plugin["hooks"])
        rows.append([plugin["name"], plugin["version"], plugin["source"], schemes, hooks])
    click.echo(render_table(["plugin", "version", "source", "schemes", "hooks"], rows))
    for plugin in payload:
        for scheme in plugin["schemes"]:
            if scheme["status"] == "draft":
                click.echo("\n" + _("{scheme} is a draft ({count} drafted items to check); missing:").format(
                    scheme=scheme["id"], count=scheme["drafts"]
                ))
                for item in scheme["missing"]:
                    click.echo(f"  - {item}")
            elif scheme["status"] != "complete":
                click.echo(f"\n{scheme['id']} is partial; missing:")
                for item in scheme["missing"]:
                    click.echo(f"  - {item}")


@click.command("schemes")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@deployment_options
@reports_errors
def schemes_command(fmt: str, deployment: Deployment) -> None:
    """List the registered schemes with their locality, source and status.

    \b
    Example:
      kaoping schemes
    """
    host = deployment.setup().host
    payload = [scheme_status(host, s) for s in sorted(host.schemes)]
    if fmt == "json":
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    rows = [[s["id"], s["name"], s["locality"], s["source"].get("file", ""), s["status"], s["plugin"]] for s in payload]
    click.echo(render_table(["scheme", "name", "locality", "source", "status", "plugin"], rows))


@click.command("methods")
@deployment_options
@reports_errors
def methods_command(deployment: Deployment) -> None:
    """List the scoring methods scheme files can name, with their parameters.

    \b
    Example:
      kaoping methods
    """
    host = deployment.setup().host
    for method in host.methods:
        params = ", ".join(
            p.name + ("*" if p.required else f"={p.default}" if p.default is not None else "") for p in method.params
        )
        click.echo(f"{method.name} ({method.kind}, {method.plugin}): {method.doc}")
        if params:
            click.echo(f"    parameters: {params}")


@click.command("show")
@click.argument("scheme_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@deployment_options
@reports_errors
def show_command(
    scheme_id: str | None,
    fmt: str,
    deployment: Deployment,
) -> None:
    """Print a scheme readably, after the deployment's overrides.

    \b
    Example:
      kaoping show fujian.zhangzhou
      kaoping show --config kaoping.toml --county zhangzhou
    """
    setup = deployment.setup(scheme_id)
    scheme = scheme_required(setup)
    if fmt == "json":
        click.echo(json.dumps(scheme.raw, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(describe_scheme(scheme))


def describe_scheme(scheme: Scheme) -> str:
    f = format_points
    out = [
        f"{scheme.name} ({scheme.id})",
        f"locality: {scheme.locality}    evaluates: {scheme.unit_kind or '-'}    year: {scheme.year or '-'}",
        f"source: {scheme.source.get('file', '-')} {scheme.source.get('section', '')}",
        f"total: {f(scheme.total)} points, precision {scheme.precision}, rounding {scheme.rounding}",
        f"status: {scheme.status.label}"
        + (f" (missing: {'; '.join(scheme.status.missing)})" if scheme.status.missing else ""),
        f"plugin: {scheme.plugin}",
        "",
        "groups:",
    ]
    for group in scheme.groups:
        ranked = "" if group.ranked else " (not ranked)"
        pool = f" (ranked in pool {group.pool})" if group.pool else ""
        only = f"; parts {', '.join(group.parts)}" if group.parts is not None else ""
        out.append(f"  {group.id} {group.name}{ranked}{pool}: {len(group.roster)} units listed{only}")
    out += ["", "parts:"]
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
    out.append(_indent(render_table(["part", "name", "points", "base", "floor", "cap"], rows)))
    out += ["", "indicators:"]
    rows = [[i.id, i.name, i.part, i.method, f(i.points), _params(i.params, i.required)] for i in scheme.indicators]
    out.append(_indent(render_table(["indicator", "name", "part", "method", "points", "parameters"], rows)))
    if scheme.rules:
        out += ["", "rules:"]
        rows = [
            [
                r.id,
                r.name,
                r.kind,
                r.part,
                r.method,
                _params(r.params, r.required),
                "" if r.cap is None else f(r.cap),
                r.same_matter,
                "yes" if r.self_report_exempt else "",
                "/".join(f"{k} {f(v)}" for k, v in (r.joint or {}).items()),
            ]
            for r in scheme.rules
        ]
        out.append(
            _indent(
                render_table(
                    [
                        "rule",
                        "name",
                        "kind",
                        "part",
                        "method",
                        "parameters",
                        "cap",
                        "same matter",
                        "self-report exempt",
                        "joint",
                    ],
                    rows,
                )
            )
        )
    limits = _limit_lines(scheme)
    if limits:
        out += ["", "limits across units:", *limits]
    if scheme.caps:
        out += ["", "caps:"]
        out += [
            f"  {c.id} {c.name}: max {f(c.limit(scheme))}"
            + (f" ({f(c.share * 100)}% of {c.of})" if c.share is not None else "")
            + f" over {', '.join(c.rules or c.indicators or c.parts)}"
            for c in scheme.caps
        ]
    if scheme.vetoes:
        out += ["", "vetoes:"]
        for v in scheme.vetoes:
            out.append(f"  {v.id} {v.name}: {_veto_effect(v)}")
    g = scheme.grading
    if g.grades:
        out += ["", f"grades: {' > '.join(g.grades)} (default {g.default}, {g.precedence}, ties: {g.on_tie})"]
        for b in g.bands:
            bounds = [
                f"{label} {f(value)}"
                for label, value in (("≥", b.at_least), (">", b.above), ("≤", b.at_most), ("<", b.below))
                if value is not None
            ]
            only = f" (groups {', '.join(b.groups)})" if b.groups else ""
            out.append(f"  band {b.grade}: total {' and '.join(bounds)}{only}")
        for q in g.quotas:
            size = ", ".join(f"{k} {v}" for k, v in q.counts.items()) or f"{f(q.share * 100)}% ({q.rounding})"
            out.append(f"  quota {q.grade}: {size}")
        for missing in g.missing():
            out.append(f"  REQUIRED: {missing} (the source gives none; set it in the overrides)")
    if scheme.consequences:
        out += [
            "",
            "consequences:",
            _indent(json.dumps(scheme.consequences, ensure_ascii=False, indent=2, default=str)),
        ]
    if scheme.parameters or scheme.required_parameters:
        out += ["", "parameters:"] + [f"  {k} = {v}" for k, v in scheme.parameters.items()]
        out += [
            "  " + _("REQUIRED: {name} (the source gives no number; set it in the overrides)").format(name=name)
            for name in scheme.missing_parameters()
        ]
    return "\n".join(out)


def _veto_effect(veto: VetoArea) -> str:
    if veto.effect == "deduct":
        return f"−{format_points(veto.points or Decimal(0))} in {veto.part}"
    if veto.effect == "disqualify":
        return f"bars {', '.join(veto.grades)}"
    if veto.effect == "force_grade":
        return f"forces {veto.grade}"
    if veto.effect == "promote":
        start = f" from {', '.join(veto.from_grades)}" if veto.from_grades else ""
        return f"promotes to {veto.grade}{start}"
    return "recorded"


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
                f"  {rule.id} {rule.name}: at most {f(rule.at_most_share * 100)}% of units "
                f"(scope {rule.share_scope})"
            )
    for indicator in scheme.indicators:
        for limit in indicator.rating_limits:
            most = f"{f(limit.limit * 100)}% of units rated" if limit.share else f"{f(limit.limit)} units"
            rater = f" by {indicator.rated_by}" if indicator.rated_by else ""
            lines.append(f"  {indicator.id} {indicator.name}: rated {limit.level}{rater} at most {most}")
    return lines


def _params(params: dict[str, Any], required: tuple[str, ...]) -> str:
    shown = [f"{k}={_value(v)}" for k, v in params.items()]
    shown += [f"{name}=REQUIRED" for name in required if name not in params]
    return "; ".join(shown)


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}"
    return format_points(value) if hasattr(value, "quantize") else str(value)


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


COMMANDS = [plugins_command, schemes_command, methods_command, show_command]
