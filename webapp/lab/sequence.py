"""How the timeline draws a lab session: three lanes, and for each exchange an arrow from the
lane that sent it to the lane that answered, like a sequence diagram. The details sit beside.

Reads that come back the same, one after the other (wx.getSetting each time the permissions
tab shows), are drawn once with a count: they repeat, they do not tell anything new.
"""

from dataclasses import dataclass

LANES = (("miniprogram", "小程序 / 浏览器"), ("server", "开发者服务器"), ("wechat", "微信（沙箱）"))
LANE_NUMBER = {lane: number for number, (lane, _) in enumerate(LANES, start=1)}
LANE_NAME = {"miniprogram": "小程序", "server": "开发者服务器", "wechat": "微信"}


@dataclass
class Row:
    step: object  # the first lab_exchange of the run
    count: int = 1

    @property
    def arrow(self):
        """CSS classes for the arrow: the lanes it spans, and which way it points."""
        source, target = LANE_NUMBER[self.step.source_lane], LANE_NUMBER[self.step.target_lane]
        if source == target:
            return f"arrow-self arrow-at-{source}"
        low, high = sorted((source, target))
        return f"arrow-{low}-{high} " + ("arrow-right" if target > source else "arrow-left")

    @property
    def flow(self):
        """Who talked to whom, in words: "小程序 → 微信"; "小程序（本机）" for the phone alone."""
        source, target = self.step.source_lane, self.step.target_lane
        if source == target:
            return f"{LANE_NAME[source]}（本机）"
        return f"{LANE_NAME[source]} → {LANE_NAME[target]}"


def rows(exchanges):
    """The exchanges as rows, a run of identical reads folded into one."""
    folded = []
    for step in exchanges:
        if folded and _same_read(folded[-1].step, step):
            folded[-1].count += 1
        else:
            folded.append(Row(step))
    return folded


def _same_read(earlier, later):
    return earlier.method == later.method == "GET" and (
        earlier.endpoint,
        earlier.url,
        earlier.status,
        earlier.raw_response,
    ) == (later.endpoint, later.url, later.status, later.raw_response)
