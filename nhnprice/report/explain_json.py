"""An explanation (`nhnprice.explain`) as JSON: every figure, exact (format nhnprice.explain/1)."""

from __future__ import annotations

import json

from nhnprice.explain import Explanation, as_dict


def render(explanation: Explanation) -> str:
    return json.dumps(as_dict(explanation), ensure_ascii=False, indent=1) + "\n"
