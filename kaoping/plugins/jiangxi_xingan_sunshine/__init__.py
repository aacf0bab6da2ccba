"""新干县县直机关政务"阳光行动"工作考评办法(试行) (Jiangxi, Xingan County): seed 001, 第一篇.

The scoring is all data in ``scheme.toml``. The one rule a table cannot say is the conversion of the raw
百分制 score into the host scheme's 政务公开 item (「考评结果得分按比例折算后计入」), whose points the
source does not give: the required parameter ``host_item_points`` must be set while ``convert_to_host`` is on
(the default, since the source says the score is converted).
"""

from __future__ import annotations

from collections.abc import Generator
from decimal import Decimal
from pathlib import Path

from kaoping.api import MissingParameterError, RegisterScheme, RunResult, Scheme, hookimpl
from kaoping.locale import _

SCHEME_ID = "jiangxi.xingan.sunshine"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")
CONVERSION_QUOTE = "考评结果得分按比例折算后计入"


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)


def scale_to(total: Decimal, scheme_total: Decimal, host_points: Decimal, clamp: bool = True) -> Decimal:
    """The raw score scaled proportionally to the host item's points, clamped to [0, host] if asked."""
    value = total * host_points / scheme_total
    if clamp:
        value = min(max(value, Decimal(0)), host_points)
    return value


def host_points(scheme: Scheme) -> Decimal:
    """The host item's points (a required parameter); a clear error when not set or not positive."""
    why = f"points of the 政务公开 item in the host efficiency scheme: 「{CONVERSION_QUOTE}」"
    points = Decimal(str(scheme.parameter("host_item_points", why)))
    if points <= 0:
        raise MissingParameterError(
            _("{scheme}: parameter host_item_points must be positive ({why}), got {points}").format(
                scheme=SCHEME_ID, why=why, points=points
            )
        )
    return points


@hookimpl(wrapper=True)
def kaoping_apply_results(scheme: Scheme) -> Generator[None, RunResult, RunResult]:
    result = yield
    if not scheme.parameters.get("convert_to_host", True):
        return result
    points = host_points(scheme)
    clamp = bool(scheme.parameters.get("clamp_host_value", True))
    quantum = Decimal(str(scheme.precision))
    for unit in result.units:
        value = scale_to(unit.total, Decimal(str(scheme.total)), points, clamp)
        unit.consequences["host_item_score"] = value.quantize(quantum)
    result.notes.append(f"政务公开 host item: total × {points} / {scheme.total} (「{CONVERSION_QUOTE}」)")
    return result
