"""杨浦区机关部门工作目标管理绩效评估 (Shanghai, Yangpu District): seed 000_9aaf459fe1a17da7.txt.

The scheme is data in ``scheme.toml``: four weighted channels, the 加/扣分 items, 一票为优/否决, a 30%
quota for 优 and the bonus factors. The source ranks 优/良/一般 「從高分到低分」 but gives no cut-off for
一般, so ``[grading] required_grades`` makes a run without the deployment's band for it an error rather
than a scheme in which no department is ever 一般.
"""

from __future__ import annotations

from pathlib import Path

from kaoping.api import RegisterScheme, hookimpl

SCHEME_ID = "shanghai.yangpu"
SCHEME_FILE = Path(__file__).with_name("scheme.toml")
SAMPLE_DATA = Path(__file__).with_name("sample")


@hookimpl
def kaoping_register_schemes(register: RegisterScheme) -> None:
    register(SCHEME_FILE, sample=SAMPLE_DATA)
