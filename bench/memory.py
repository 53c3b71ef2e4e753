"""Memory figures from process snapshots (pure): per live session and of the server."""

from __future__ import annotations

from bench.stats import median


def idle_summary(snap: dict) -> dict:
    """The server alone (plus any preheated pool kernels and other processes under it,
    such as the forking template) before any visitor."""
    kernels = snap.get("kernels", {})
    server = snap.get("server") or {}
    return {
        "server_rss": server.get("rss"),
        "server_pss": server.get("pss"),
        "kernels": len(kernels),
        "kernels_rss": sum(k["rss"] for k in kernels.values()),
        "kernels_pss": sum((k["pss"] or 0) for k in kernels.values()),
        # Processes under the server that are not kernels: the forking provisioner's
        # template (widgets/server/forking), which every kernel is forked from.
        "others": len(snap.get("other", [])),
        "others_rss": sum(p["rss"] for p in snap.get("other", [])),
        "others_pss": sum((p["pss"] or 0) for p in snap.get("other", [])),
    }


def sessions_summary(snap: dict, visitor_ids: list[str], idle: dict) -> dict:
    """Memory with N live sessions (N = visitors whose kernel is alive).

    ``per_session_rss`` is the target's figure: the median RSS of a visitor's
    kernel plus the server's growth since idle shared among the N (likewise
    ``per_session_pss``). ``per_session_uss`` (the kernel's private memory plus
    that share) is closest to what one more visitor really adds to the machine,
    since kernels share library pages.
    Kernels that are not the visitors' (a preheated pool refilling) are reported
    apart, as ``other_kernels``.
    """
    kernels = snap.get("kernels", {})
    server = snap.get("server") or {}
    mine = [kernels[k] for k in visitor_ids if k in kernels]
    others = [v for k, v in kernels.items() if k not in set(visitor_ids)]
    n = len(mine)
    k_rss = median([k["rss"] for k in mine])
    k_pss = median([k["pss"] for k in mine if k["pss"] is not None])
    k_uss = median([k.get("uss") for k in mine if k.get("uss") is not None])
    growth_rss = None
    if server.get("rss") is not None and idle.get("server_rss") is not None:
        growth_rss = max(0, server["rss"] - idle["server_rss"])
    growth_pss = None
    if server.get("pss") is not None and idle.get("server_pss") is not None:
        growth_pss = max(0, server["pss"] - idle["server_pss"])
    per_rss = None if k_rss is None else k_rss + ((growth_rss or 0) / n if n else 0)
    per_pss = None if k_pss is None else k_pss + ((growth_pss or 0) / n if n else 0)
    per_uss = None if k_uss is None else k_uss + ((growth_rss or 0) / n if n else 0)
    total_rss = (server.get("rss") or 0) + sum(k["rss"] for k in kernels.values())
    total_pss = (server.get("pss") or 0) + sum((k["pss"] or 0) for k in kernels.values())
    return {
        "live_sessions": n,
        "kernel_rss": k_rss,
        "kernel_pss": k_pss,
        "kernel_uss": k_uss,
        "server_rss": server.get("rss"),
        "server_pss": server.get("pss"),
        "per_session_rss": per_rss,
        "per_session_pss": per_pss,
        "per_session_uss": per_uss,
        "other_kernels": len(others),
        "other_kernels_rss": sum(k["rss"] for k in others),
        "total_rss": total_rss,
        "total_pss": total_pss,
    }
