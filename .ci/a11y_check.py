#!/usr/bin/python3
"""Accessibility check of the running Evalbench app, as a screen reader sees it (AT-SPI).

Started by .ci/a11y-test, which runs the real binary under Xvfb with the accessibility bus on.
Works through the accessibility bus only: no pixel positions, no keyboard or mouse events.

1. Waits (up to 30 s) for the application on the AT-SPI registry (named after the binary, or
   "evalbench", or with the app's process id) and for its navigation: the window region holding
   the most toggle buttons with exactly one of them pressed (the left side panel's page list:
   Oversikt, Krav, Intervjuer, ...). The pages are discovered from the tree, not hard-coded.
2. Opens each menu of the menu bar (Fil, Rediger, ...) with its AT-SPI action, checks its items and
   closes it with the same action. Menu items are not activated; submenus are not opened.
3. For each page: activates its navigation item with the AT-SPI Action interface (DoAction 0,
   "click"), waits until the item is pressed/selected/checked and the tree has settled, and reads
   the whole tree. Content drawn only when on screen (lazy blocks, long lists) is reached by
   asking the app to scroll the last node of each scroll area into view (Component.ScrollTo,
   which egui handles as ScrollIntoView) until two steps bring nothing new.
4. Checks every interactive node: the roles push button, toggle button, check box, radio button,
   combo box, spin button, slider, link, page tab, (check/radio) menu item, switch, tree item,
   editable entry/text/password text, selectable list item, and any other node that is focusable
   and has an action (a plot with role "unknown", egui's panel resize handle "separator").

Reading the tree: each look is one call of the app's org.a11y.atspi.Cache.GetItems, the call
libatspi (and so Orca) uses to fill its cache: every node with its role, name, description, states
and interfaces at one instant, in about 10 ms, instead of ~10 calls per node (1 s or more per
look). At the start the checker walks the tree once more node by node through libatspi
(gi.repository.Atspi) and stops (exit 2) if the two disagree.

What a screen reader reads as a node's name (its "effective name"): the accessible name; if that
is empty, the names of the nodes it is labelled by (relation LABELLED_BY); if those are empty too,
its description (Orca then reads the role and the description). The report says when the name
comes from one of the fall-backs.

Failures:
  empty-name        the effective name is empty: the screen reader says only the role.
  symbol-name       the effective name has no letter: only a symbol, number or date ("×", "+",
                    "…", "3", "12.01.2026"), which does not say what the control does.
  duplicate-name    on one page (with the menu bar and navigation shown beside it), two or more
                    distinct interactive nodes with the same role and the same effective name.
                    Distinct nodes are distinct widgets acting on distinct things (three buttons
                    "Slett utdraget", one per excerpt), so the name lacks the context a listener
                    needs to tell them apart.
  page-not-reached  a page's navigation item did not become selected after its action.

Duplicates may be allowed only through ALLOWED_DUPLICATES below, and only where the nodes truly do
the same thing repeated in rows that also carry the row in the name. It is empty: name the row.

Warnings (never fail the run): truncated names (ending in "…" while the description holds the full
text); interactive nodes that reach the tree only after scrolling (a screen reader's browse mode
cannot find them before); a window without an accessible name; a menu that did not open.

For each failing node the report gives its role, name, ancestor path ("frame[0] › panel[3]": role
and child index, with the name where an ancestor has one) and its neighbours: the nearest
landmark before and after it (a label that is not a field caption, or an interactive node whose
name is unique on the page), to find it on screen and in the code.

Exit code: 0 no failures, 1 failures, 2 the app or its tree never appeared (the reason is printed).
"""

import argparse
import json
import os
import sys
import time
import unicodedata
import warnings

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, Gio, GLib  # noqa: E402

warnings.simplefilter("ignore", DeprecationWarning)
warnings.simplefilter("ignore", gi.PyGIDeprecationWarning)

APPEAR_TIMEOUT = 30.0  # s for the app and its navigation to appear
SETTLE_TIMEOUT = 10.0  # s for a page to be reached and its tree to settle
STABLE_FOR = 0.6  # s the tree must stay unchanged to count as settled
POLL = 0.1  # s between looks at the tree
MAX_SCROLL_STEPS = 80
CALL_TIMEOUT_MS = 10000

ROOT_PATH = "/org/a11y/atspi/accessible/root"
CACHE_PATH = "/org/a11y/atspi/cache"
IFACE_PREFIX = "org.a11y.atspi."

INTERACTIVE_ROLES = {
    "push button", "toggle button", "check box", "radio button", "combo box", "spin button",
    "slider", "link", "page tab", "menu item", "check menu item", "radio menu item", "switch",
    "tree item",
}
EDITABLE_ROLES = {"entry", "text", "password text", "editbar", "paragraph"}
NOT_INTERACTIVE = {"application", "frame", "window", "panel", "filler", "scroll bar", "label"}
SELECTED_STATES = {"pressed", "selected", "checked"}

# (scope, role, name) -> why the repetition is the same action repeated. Keep it empty: give each
# row's control its row in the name ("Slett utdraget: «...»") instead of adding an entry here.
ALLOWED_DUPLICATES: dict = {}


class Fatal(Exception):
    """The app or its tree is not there: exit 2."""


# ------------------------------------------------------------------------------------------------
# The accessibility bus.
# ------------------------------------------------------------------------------------------------


class A11yBus:
    def __init__(self):
        try:
            session = Gio.bus_get_sync(Gio.BusType.SESSION, None)
            address = session.call_sync(
                "org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress", None,
                GLib.VariantType("(s)"), Gio.DBusCallFlags.NONE, CALL_TIMEOUT_MS, None,
            ).unpack()[0]
            self.conn = Gio.DBusConnection.new_for_address_sync(
                address,
                Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
                | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
                None, None,
            )
        except GLib.Error as error:
            raise Fatal(f"no accessibility bus (org.a11y.Bus.GetAddress on the session bus): {error.message}")
        self.app_bus = None

    def call(self, dest, path, iface, method, args=None, reply=None):
        return self.conn.call_sync(
            dest, path, iface, method, args, GLib.VariantType(reply) if reply else None,
            Gio.DBusCallFlags.NONE, CALL_TIMEOUT_MS, None,
        ).unpack()

    def applications(self):
        """(bus name, name, pid) of each application registered on the desktop."""
        out = []
        try:
            children = self.call("org.a11y.atspi.Registry", ROOT_PATH, IFACE_PREFIX + "Accessible",
                                 "GetChildren", None, "(a(so))")[0]
        except GLib.Error:
            return out
        for bus, path in children:
            try:
                name = self.call(bus, path, "org.freedesktop.DBus.Properties", "Get",
                                 GLib.Variant("(ss)", (IFACE_PREFIX + "Accessible", "Name")), "(v)")[0]
            except GLib.Error:
                name = "?"
            try:
                pid = self.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                "GetConnectionUnixProcessID", GLib.Variant("(s)", (bus,)), "(u)")[0]
            except GLib.Error:
                pid = 0
            out.append((bus, name, pid))
        return out

    def items(self):
        return self.call(self.app_bus, CACHE_PATH, IFACE_PREFIX + "Cache", "GetItems", None,
                         "(a((so)(so)(so)iiassusau))")[0]

    def do_action(self, path, index=0):
        return self.call(self.app_bus, path, IFACE_PREFIX + "Action", "DoAction",
                         GLib.Variant("(i)", (index,)), "(b)")[0]

    def scroll_to(self, path):
        return self.call(self.app_bus, path, IFACE_PREFIX + "Component", "ScrollTo",
                         GLib.Variant("(u)", (int(Atspi.ScrollType.ANYWHERE),)), "(b)")[0]

    def extents(self, path):
        return self.call(self.app_bus, path, IFACE_PREFIX + "Component", "GetExtents",
                         GLib.Variant("(u)", (int(Atspi.CoordType.SCREEN),)), "((iiii))")[0]

    def labelled_by(self, path):
        try:
            relations = self.call(self.app_bus, path, IFACE_PREFIX + "Accessible", "GetRelationSet",
                                  None, "(a(ua(so)))")[0]
        except GLib.Error:
            return ""
        names = []
        for kind, targets in relations:
            if kind != int(Atspi.RelationType.LABELLED_BY):
                continue
            for bus, target in targets:
                try:
                    names.append(self.call(bus, target, "org.freedesktop.DBus.Properties", "Get",
                                           GLib.Variant("(ss)", (IFACE_PREFIX + "Accessible", "Name")), "(v)")[0])
                except GLib.Error:
                    pass
        return " ".join(n for n in names if n)


# ------------------------------------------------------------------------------------------------
# Snapshots of the tree.
# ------------------------------------------------------------------------------------------------


ROLE_NAMES = {}


def role_name(number):
    if number not in ROLE_NAMES:
        try:
            ROLE_NAMES[number] = Atspi.role_get_name(Atspi.Role(number))
        except (ValueError, TypeError):
            ROLE_NAMES[number] = f"role {number}"
    return ROLE_NAMES[number]


def state_set(words):
    states = set()
    for word_index, word in enumerate(words):
        for bit in range(32):
            if word & (1 << bit):
                try:
                    states.add(Atspi.StateType(word_index * 32 + bit).value_nick)
                except ValueError:
                    states.add(f"state {word_index * 32 + bit}")
    return states


class Node:
    __slots__ = ("path", "role", "name", "desc", "states", "ifaces", "ancestors", "index_path",
                 "region", "order", "labelled_by", "raw")

    def effective_name(self):
        if self.name.strip():
            return self.name.strip(), "name"
        if self.labelled_by and self.labelled_by.strip():
            return self.labelled_by.strip(), "labelled-by"
        if self.desc.strip():
            return self.desc.strip(), "description"
        return "", "none"

    def is_interactive(self):
        if self.role in NOT_INTERACTIVE:
            return False
        if self.role in INTERACTIVE_ROLES:
            return True
        if self.role in EDITABLE_ROLES:
            return "editable" in self.states
        if self.role == "list item":
            return "selectable" in self.states or "focusable" in self.states
        return "focusable" in self.states and "Action" in self.ifaces

    def is_selected(self):
        return bool(SELECTED_STATES & self.states)

    def path_text(self):
        parts = []
        for role, name, index in self.ancestors:
            if role == "application":
                continue
            part = f"{role}[{index}]" if index is not None else role
            if name:
                part += f" «{short(name, 40)}»"
            parts.append(part)
        return " › ".join(parts)


def snapshot(bus):
    """All nodes of the app in document order, from one Cache.GetItems call."""
    try:
        items = bus.items()
    except GLib.Error as error:
        raise Fatal(f"the app's accessibility tree cannot be read (Cache.GetItems): {error.message}")
    by_path = {}
    children = {}
    for obj, _app, parent, index, _count, ifaces, name, role, desc, states in items:
        path = obj[1]
        by_path[path] = (parent[1], index, ifaces, name, role, desc, states)
        if path != ROOT_PATH:  # the root's parent is the desktop (same path, on the registry)
            children.setdefault(parent[1], []).append((index, path))
    if ROOT_PATH not in by_path:
        raise Fatal("Cache.GetItems returned no application root")
    for kids in children.values():
        kids.sort()
    out = []

    def visit(path, ancestors, index_path, region):
        _parent, index, ifaces, name, role, desc, states = by_path[path]
        node = Node()
        node.path = path
        node.role = role_name(role)
        node.name = name or ""
        node.desc = desc or ""
        node.states = state_set(states)
        node.ifaces = {i[len(IFACE_PREFIX):] if i.startswith(IFACE_PREFIX) else i for i in ifaces}
        node.ancestors = ancestors
        node.index_path = index_path
        node.region = region
        node.order = len(out)
        node.labelled_by = None
        node.raw = (role, name, desc, tuple(states))
        out.append(node)
        below = ancestors + [(node.role, node.name, index_path[-1] if index_path else None)]
        for position, (_i, child) in enumerate(children.get(path, [])):
            # The frame's children are the window's regions: menu bar, status bar, panels, page.
            child_region = child if node.role in ("frame", "window") else region
            visit(child, below, index_path + [position], child_region)

    visit(ROOT_PATH, [], [], None)
    return out


def signature(nodes):
    return tuple((n.path, n.raw) for n in nodes)


def settle(bus, ready=None, timeout=SETTLE_TIMEOUT):
    """Looks until `ready(nodes)` holds and the tree stays the same for STABLE_FOR seconds.
    Returns (nodes, settled)."""
    deadline = time.monotonic() + timeout
    stable_since = None
    previous = None
    while True:
        nodes = snapshot(bus)
        ok = ready(nodes) if ready else True
        sig = signature(nodes)
        now = time.monotonic()
        if ok and sig == previous:
            if now - stable_since >= STABLE_FOR:
                return nodes, True
        else:
            stable_since = now
        previous = sig if ok else None
        if now > deadline:
            return nodes, False
        time.sleep(POLL)


def cross_check_with_libatspi(bus, nodes, app_pid, app_name):
    """Walks the same tree node by node through libatspi, as a screen reader does without its
    cache, and compares roles and names with the Cache.GetItems look. Returns a problem or None."""
    desktop = Atspi.get_desktop(0)
    app = None
    for i in range(desktop.get_child_count()):
        candidate = desktop.get_child_at_index(i)
        try:
            if candidate is not None and (candidate.get_process_id() == app_pid or candidate.get_name() == app_name):
                app = candidate
                break
        except GLib.Error:
            continue
    if app is None:
        return "libatspi does not list the app on its desktop"
    try:
        app.set_cache_mask(Atspi.Cache.NONE)
    except (AttributeError, GLib.Error):
        pass
    walked = []

    def walk(acc):
        walked.append((acc.path, acc.get_role_name() or "", acc.get_name() or ""))
        for i in range(acc.get_child_count()):
            child = acc.get_child_at_index(i)
            if child is not None:
                walk(child)

    for _attempt in range(3):
        walked.clear()
        try:
            walk(app)
        except GLib.Error:
            time.sleep(0.3)
            continue
        cached = [(n.path, n.role, n.name) for n in snapshot(bus)]
        if walked == cached:
            return None
        time.sleep(0.5)  # the app may have changed between the two reads; look again
    cached_set = set(cached)
    differing = [w for w in walked if w not in cached_set][:3]
    return (f"libatspi's walk ({len(walked)} nodes) and Cache.GetItems ({len(cached)} nodes) disagree, "
            f"e.g. {differing}")


# ------------------------------------------------------------------------------------------------
# Checks.
# ------------------------------------------------------------------------------------------------


def short(text, limit=90):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def has_letter(text):
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def fill_fallback_names(bus, nodes):
    for n in nodes:
        if n.labelled_by is None and not n.name.strip() and n.is_interactive():
            n.labelled_by = bus.labelled_by(n.path)


def landmarks(nodes, interactive):
    """Nodes that locate a neighbour: labels that are not a field caption (their text is not the
    name of an interactive node on the page, or its "caption:" prefix) and interactive nodes with a
    name unique there."""
    counts = {}
    for n in interactive:
        text = n.effective_name()[0]
        counts[text] = counts.get(text, 0) + 1
    # A caption names a field: the field's name is the caption, or starts with "caption:".
    captions = set(counts) | {text.split(":", 1)[0].strip() for text in counts if ":" in text}
    marks = set()
    for n in nodes:
        text = n.name.strip()
        if n.role in ("label", "heading", "static") and text and has_letter(text) and text not in captions:
            marks.add(n.path)
        elif n.is_interactive():
            name = n.effective_name()[0]
            if name and has_letter(name) and counts.get(name) == 1:
                marks.add(n.path)
    return marks


def neighbours(nodes, node, marks):
    before = after = ""
    for other in reversed(nodes[: node.order]):
        if other.region == node.region and other.path in marks:
            before = other.effective_name()[0]
            break
    for other in nodes[node.order + 1:]:
        if other.region == node.region and other.path in marks:
            after = other.effective_name()[0]
            break
    return short(before, 60), short(after, 60)


def check(scope, checked, nodes, shell=()):
    """Failures among `checked`; duplicates are looked for among `checked` + `shell`."""
    marks = landmarks(nodes, [n for n in nodes if n.is_interactive()])
    failures = []
    for n in checked:
        text, _source = n.effective_name()
        if not text:
            failures.append(failure("empty-name", scope, n, nodes, marks))
        elif not has_letter(text):
            failures.append(failure("symbol-name", scope, n, nodes, marks))
    groups = {}
    for n in list(shell) + list(checked):
        text, _ = n.effective_name()
        if text and has_letter(text):
            groups.setdefault((n.role, text), {})[n.path] = n
    checked_paths = {n.path for n in checked}
    for (role, text), members in groups.items():
        if len(members) < 2 or not (checked_paths & set(members)) or (scope, role, text) in ALLOWED_DUPLICATES:
            continue
        ordered = sorted(members.values(), key=lambda m: m.order)
        f = failure("duplicate-name", scope, ordered[0], nodes, marks)
        f["count"] = len(ordered)
        f["members"] = []
        for m in ordered:
            before, after = neighbours(nodes, m, marks)
            f["members"].append({"path": m.path_text(), "before": before, "after": after,
                                 "disabled": "enabled" not in m.states})
        failures.append(f)
    return failures


def failure(kind, scope, n, nodes, marks):
    text, source = n.effective_name()
    before, after = neighbours(nodes, n, marks)
    return {
        "kind": kind, "scope": scope, "role": n.role, "name": n.name, "effective_name": text,
        "name_source": source, "description": n.desc, "disabled": "enabled" not in n.states,
        "path": n.path_text(), "before": before, "after": after,
    }


def truncation_warnings(scope, checked):
    out = []
    for n in checked:
        name, desc = n.name.strip(), n.desc.strip()
        if name.endswith("…") and len(desc) > len(name) and desc.startswith(name[:-1].rstrip()):
            out.append({"kind": "truncated-name", "scope": scope, "role": n.role, "name": name,
                        "detail": "the name is cut off by the layout; the full text is only in the description"})
    return out


def where(before, after):
    parts = []
    if before:
        parts.append(f"after «{before}»")
    if after:
        parts.append(f"before «{after}»")
    return ("   " + ", ".join(parts)) if parts else ""


def print_failure(f):
    shown = f"«{short(f['name'])}»" if f["name"] else "(no name)"
    if f["name_source"] in ("labelled-by", "description"):
        shown += f" [read from {f['name_source']}: «{short(f['effective_name'])}»]"
    if f["kind"] == "duplicate-name":
        print(f"  FAIL duplicate-name: {f['count']} × {f['role']} {shown}")
        for m in f["members"]:
            disabled = " (disabled)" if m["disabled"] else ""
            print(f"         at {m['path']}{disabled}{where(m['before'], m['after'])}")
    elif f["kind"] == "page-not-reached":
        print(f"  FAIL page-not-reached: {f['role']} {shown}: {f.get('detail', '')}")
    else:
        disabled = " (disabled)" if f["disabled"] else ""
        print(f"  FAIL {f['kind']}: {f['role']} {shown}{disabled}")
        print(f"         at {f['path']}{where(f['before'], f['after'])}")


def print_warning(w):
    name = f"{w['role']} «{short(w['name'])}»: " if w.get("name") else ""
    print(f"  warn {w['kind']}: {name}{w['detail']}")


def print_section(title, failures, warns):
    print(f"\n== {title}")
    for f in failures:
        print_failure(f)
    if not failures:
        print("  ok")
    for w in warns:
        print_warning(w)


# ------------------------------------------------------------------------------------------------
# The run.
# ------------------------------------------------------------------------------------------------


def find_navigation(nodes):
    """The window region with the most toggle-like items, exactly one of them selected."""
    by_region = {}
    for n in nodes:
        if n.region and n.role in ("toggle button", "page tab", "radio button", "list item"):
            by_region.setdefault(n.region, []).append(n)
    best = (None, [])
    for region, items in by_region.items():
        if len(items) >= 3 and sum(1 for i in items if i.is_selected()) == 1 and len(items) > len(best[1]):
            best = (region, items)
    return best


def find_menu_bar(nodes):
    """The menu bar (role menu bar, or egui's "menu" outside any popup) and its buttons."""
    for n in nodes:
        if n.role in ("menu bar", "menu") and n.ancestors and n.ancestors[-1][0] not in ("push button", "menu item", "menu"):
            buttons = [m for m in nodes if m.index_path[:-1] == n.index_path and len(m.index_path) == len(n.index_path) + 1
                       and "Action" in m.ifaces]
            if buttons:
                return n, buttons
    return None, []


def by_path(nodes, path):
    return next((n for n in nodes if n.path == path), None)


def descendants(nodes, parent):
    depth = len(parent.index_path)
    return [n for n in nodes if len(n.index_path) > depth and n.index_path[:depth] == parent.index_path]


def scroll_targets(nodes, shell_regions):
    """For each scroll area outside the shell (a node with a scroll bar child) its last focusable
    descendant, else its last one: scrolling that into view makes the app draw what follows."""
    targets = []
    for bar in nodes:
        if bar.role != "scroll bar" or bar.region in shell_regions:
            continue
        container = bar.index_path[:-1]
        inside = [n for n in nodes if len(n.index_path) > len(container) and n.index_path[: len(container)] == container
                  and n.role != "scroll bar" and "Component" in n.ifaces]
        if not inside:
            continue
        target = ([n for n in inside if "focusable" in n.states] or inside)[-1]
        if all(t.path != target.path for t in targets):
            targets.append(target)
    return targets


def wait_for_app(bus, wanted, pid):
    deadline = time.monotonic() + APPEAR_TIMEOUT
    seen = []
    while time.monotonic() < deadline:
        if pid and not os.path.exists(f"/proc/{pid}"):
            raise Fatal(f"the app (pid {pid}) exited before its accessibility tree appeared")
        seen = bus.applications()
        for app_bus, name, app_pid in seen:
            if (name or "").lower() in wanted or (pid and app_pid == pid):
                return app_bus, name, app_pid
        time.sleep(0.5)
    raise Fatal(
        f"no application named {sorted(wanted)} (or with pid {pid}) appeared on the AT-SPI desktop "
        f"within {APPEAR_TIMEOUT:.0f} s; applications there: {[(n, p) for _b, n, p in seen]}. accesskit "
        "publishes the tree only while org.a11y.Status.IsEnabled is true on the session bus's org.a11y.Bus.")


def run(args):
    started = time.monotonic()
    wanted = {os.environ.get("EVALBENCH_A11Y_APP_NAME", "evalbench").lower(), "evalbench"}
    pid = int(os.environ.get("EVALBENCH_A11Y_APP_PID", "0") or 0)
    bus = A11yBus()
    bus.app_bus, app_name, app_pid = wait_for_app(bus, wanted, pid)

    # The navigation, once the case is open.
    deadline = time.monotonic() + APPEAR_TIMEOUT
    nodes, nav_region, nav_items = [], None, []
    while time.monotonic() < deadline:
        nodes = snapshot(bus)
        nav_region, nav_items = find_navigation(nodes)
        if nav_items:
            break
        time.sleep(0.3)
    if not nav_items:
        raise Fatal(f"the app «{app_name}» is on the AT-SPI desktop but no navigation (a window region with "
                    f"≥ 3 toggle buttons, one of them pressed) appeared; its tree has {len(nodes)} nodes")
    nodes, _ = settle(bus)
    appeared = time.monotonic() - started
    problem = cross_check_with_libatspi(bus, nodes, app_pid, app_name)
    if problem:
        raise Fatal(problem)

    frame = next((n for n in nodes if n.role in ("frame", "window")), None)
    size = ""
    if frame is not None:
        try:
            _x, _y, width, height = bus.extents(frame.path)
            size = f", window {width}×{height}"
        except GLib.Error:
            pass
    nav_region, nav_items = find_navigation(nodes)
    pages = [(n.name, n.path) for n in nav_items]
    menu_bar, menu_buttons = find_menu_bar(nodes)
    shell_regions = {nav_region, menu_bar.region if menu_bar else None} - {None}

    print(f"Evalbench accessibility check over AT-SPI: app «{app_name}» (pid {app_pid}{size}); "
          f"tree after {appeared:.1f} s; libatspi walk and Cache.GetItems agree ({len(nodes)} nodes)")
    print("Name = what a screen reader reads: the accessible name; if empty, the labelled-by targets' "
          "names; if empty too, the description.")
    print(f"Pages in the navigation ({len(pages)}): {', '.join(p for p, _ in pages)}")

    failures, warns_all = [], []
    report = {"app": app_name, "pages": [], "menus": []}
    if frame is not None and not frame.name.strip():
        w = {"kind": "unnamed-window", "scope": "window", "role": frame.role, "name": "",
             "detail": "the window (frame) has no accessible name: the window title is not exposed"}
        warns_all.append(w)

    # The shell: menu bar and navigation, the same on every page; checked once.
    fill_fallback_names(bus, nodes)
    shell = [n for n in nodes if n.region in shell_regions and n.is_interactive()]
    fails = check("shell", shell, nodes)
    failures += fails
    print_section(f"Shell (menu bar and navigation): {len(shell)} interactive nodes", fails, [])

    # Menus.
    if not menu_buttons:
        print("\n(no menu bar in the tree; menus not checked)")
    for button in menu_buttons:
        title = button.name

        def menu_open(ns, path=button.path):
            b = by_path(ns, path)
            return b is not None and bool(descendants(ns, b))

        try:
            bus.do_action(button.path)
        except GLib.Error as error:
            warns_all.append({"kind": "menu-not-opened", "scope": f"menu {title}", "role": button.role,
                              "name": title, "detail": f"its action failed: {error.message}"})
            continue
        ns, opened = settle(bus, menu_open, timeout=5)
        if not opened:
            warns_all.append({"kind": "menu-not-opened", "scope": f"menu {title}", "role": button.role,
                              "name": title, "detail": "it did not open through its action within 5 s"})
            report["menus"].append({"menu": title, "opened": False})
            continue
        fill_fallback_names(bus, ns)
        items = [m for m in descendants(ns, by_path(ns, button.path)) if m.is_interactive()]
        scope = f"menu {title}"
        fails = check(scope, items, ns)
        warns = truncation_warnings(scope, items)
        failures += fails
        warns_all += warns
        print_section(f"Menu «{title}»: {len(items)} items", fails, warns)
        report["menus"].append({"menu": title, "opened": True, "checked": len(items),
                                "items": [m.effective_name()[0] for m in items]})
        bus.do_action(button.path)
        _, closed = settle(bus, lambda ns2: not menu_open(ns2), timeout=5)
        if not closed:
            print("  (the menu did not close through its action)")

    # Pages.
    previous_content = None
    for page, nav_path in pages:
        scope = f"page {page}"
        t0 = time.monotonic()
        try:
            bus.do_action(nav_path)
        except GLib.Error as error:
            f = {"kind": "page-not-reached", "scope": scope, "role": "toggle button", "name": page,
                 "effective_name": page, "name_source": "name", "description": "", "disabled": False,
                 "path": "", "before": "", "after": "", "detail": f"its action failed: {error.message}"}
            failures.append(f)
            print_section(f"Page «{page}»", [f], [])
            report["pages"].append({"page": page, "reached": False})
            continue
        ns, reached = settle(bus, lambda ns2, p=nav_path: bool(by_path(ns2, p)) and by_path(ns2, p).is_selected())
        took = time.monotonic() - t0
        if not reached:
            f = {"kind": "page-not-reached", "scope": scope, "role": "toggle button", "name": page,
                 "effective_name": page, "name_source": "name", "description": "", "disabled": False,
                 "path": "", "before": "", "after": "",
                 "detail": f"not selected, or the tree did not settle, {SETTLE_TIMEOUT:.0f} s after DoAction"}
            failures.append(f)
            print_section(f"Page «{page}»", [f], [])
            report["pages"].append({"page": page, "reached": False})
            continue
        content = signature([n for n in ns if n.region not in shell_regions])
        same_as_before = content == previous_content
        previous_content = content

        # Scroll each scroll area down until two steps bring no new node.
        first = {n.path for n in ns}
        merged = {n.path: n for n in ns}
        order = [n.path for n in ns]
        steps = quiet = 0
        while steps < MAX_SCROLL_STEPS and quiet < 2:
            targets = scroll_targets(ns, shell_regions)
            if not targets:
                break
            steps += 1
            for t in targets:
                try:
                    bus.scroll_to(t.path)
                except GLib.Error:
                    pass
            ns, _ = settle(bus, timeout=3)
            new = [n for n in ns if n.path not in merged]
            quiet = 0 if new else quiet + 1
            # Keep document order: put new nodes after their nearest predecessor already known.
            for i, n in enumerate(ns):
                if n.path in merged:
                    continue
                merged[n.path] = n
                anchor = next((p.path for p in reversed(ns[:i]) if p.path in merged and p.path != n.path), None)
                order.insert(order.index(anchor) + 1 if anchor in order else len(order), n.path)
        all_nodes = [merged[p] for p in order]
        for i, n in enumerate(all_nodes):
            n.order = i
        fill_fallback_names(bus, all_nodes)
        page_nodes = [n for n in all_nodes if n.region not in shell_regions and n.is_interactive()]
        shell_now = [n for n in all_nodes if n.region in shell_regions and n.is_interactive()]
        late = [n for n in page_nodes if n.path not in first]
        fails = check(scope, page_nodes, all_nodes, shell=shell_now)
        warns = truncation_warnings(scope, page_nodes)
        if late:
            warns.append({"kind": "only-after-scrolling", "scope": scope, "role": "", "name": "",
                          "detail": f"{len(late)} of {len(page_nodes)} interactive nodes reach the tree only "
                                    "once scrolled into view (drawn lazily)"})
        if same_as_before:
            warns.append({"kind": "same-content", "scope": scope, "role": "", "name": "",
                          "detail": "the page's tree is the same as the previous page's"})
        failures += fails
        warns_all += warns
        print_section(f"Page «{page}»: reached in {took:.1f} s by DoAction on its {nav_items[0].role}; "
                      f"{len(page_nodes)} interactive nodes checked, {len(late)} of them after "
                      f"{steps} scroll step{'' if steps == 1 else 's'}", fails, warns)
        report["pages"].append({"page": page, "reached": True, "checked": len(page_nodes),
                                "only_after_scrolling": len(late), "scroll_steps": steps})

    elapsed = time.monotonic() - started
    others = [w for w in warns_all if w["scope"] == "window" or w["kind"] == "menu-not-opened"]
    if others:
        print()
        for w in others:
            print_warning(w)
    kinds = {}
    for f in failures:
        kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
    reached = sum(1 for p in report["pages"] if p["reached"])
    opened = sum(1 for m in report["menus"] if m["opened"])
    print(f"\nSummary: {reached}/{len(pages)} pages reached through AT-SPI actions; {opened}/{len(menu_buttons)} "
          f"menus opened; failures: {', '.join(f'{v} {k}' for k, v in sorted(kinds.items())) or 'none'}; "
          f"{len(warns_all)} warnings; {elapsed:.1f} s")
    if args.json:
        report.update(failures=failures, warnings=warns_all, seconds=round(elapsed, 1))
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(report, out, ensure_ascii=False, indent=2)
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description="Accessibility check of the running Evalbench app (AT-SPI)")
    parser.add_argument("--json", help="also write the findings as JSON to this file")
    args = parser.parse_args()
    try:
        return run(args)
    except Fatal as error:
        print(f"ERROR: {error}")
        return 2
    except Exception:  # a fault of the harness, not a finding about the app: never exit 1
        import traceback

        traceback.print_exc()
        print("ERROR: the checker itself failed (above)")
        return 2


if __name__ == "__main__":
    sys.exit(main())
