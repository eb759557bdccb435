#!/usr/bin/python3
# check-accessible.py — Carepath as a screen reader sees it (#20).
#
# Starts the real app on a demo database with the AT-SPI bridge on (the
# test runs inside dbus-run-session and xvfb-run), walks every view and
# the main dialogs through AT-SPI and fails on any focusable or clickable
# node a screen reader could not name. Then it drives the board with keys
# only.  Prints TAP.
#
#   check-accessible.py CAREPATH_BINARY   (needs xdotool, gir1.2-atspi-2.0)
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import warnings

# The test's own GLib (through the AT-SPI bindings) is not under test: the
# suite's fatal warnings would stop it at libatspi's first notice.
os.environ.pop('G_DEBUG', None)

import gi  # noqa: E402

warnings.simplefilter('ignore', DeprecationWarning)
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

# Roles a person acts on: each needs a name of its own.
ACTIONABLE = {
    'push button', 'toggle button', 'check box', 'radio button', 'menu item',
    'check menu item', 'radio menu item', 'link', 'combo box', 'page tab',
    'spin button', 'slider', 'switch', 'entry', 'password text', 'text',
}
# Containers that take focus to hold a selection: named by their content
# (a row or cell is read out as the text inside it).
NAMED_BY_CONTENT = {
    'table cell', 'table row', 'list item', 'tree item', 'filler', 'panel',
    'label', 'scroll pane', 'list', 'tree table', 'table', 'viewport',
}
# GTK 4.8 names an unnamed node after its type: that is no name.
TYPE_NAME = re.compile(r'^(Gtk|Adw|Cp)[A-Z]\w*$')

results = []


def tap(ok, description, details=()):
    results.append(ok)
    print('%s %d - %s' % ('ok' if ok else 'not ok', len(results), description))
    for line in details:
        print('#   ' + line)
    sys.stdout.flush()


def real_name(node):
    name = (node.get_name() or '').strip()
    return '' if TYPE_NAME.match(name) else name


def text_inside(node, budget=40):
    """The first text a screen reader would read inside node."""
    try:
        text = Atspi.Text.get_text(node, 0, -1).strip()
        if text:
            return text
    except Exception:
        pass
    if node.get_role_name() == 'label' and real_name(node):
        return real_name(node)
    for i in range(min(node.get_child_count(), budget)):
        child = node.get_child_at_index(i)
        if child is None:
            continue
        name = real_name(child)
        if name:
            return name
        found = text_inside(child, budget)
        if found:
            return found
    return ''


def is_actionable(node, role, states):
    if role in ACTIONABLE:
        return True
    return states.contains(Atspi.StateType.FOCUSABLE)


def walk(node, trail, offenders, named_table=False):
    try:
        role = node.get_role_name()
        states = node.get_state_set()
    except Exception:
        return
    if not states.contains(Atspi.StateType.VISIBLE):
        return
    here = trail + ['%s %r' % (role, node.get_name() or '')]
    if is_actionable(node, role, states) and not real_name(node):
        # A table's own parts (its list of rows, a row) are read out with
        # the table's name and the cells' text.
        in_named_table = role in ('list', 'table row') and named_table
        if not in_named_table and not (role in NAMED_BY_CONTENT and text_inside(node)):
            offenders.add(' > '.join(here[-7:]))
    # A list's rows are alike: the first rows stand for the rest.
    limit = 12 if role in ('list', 'tree table', 'table', 'list box') else 400
    for i in range(min(node.get_child_count(), limit)):
        child = node.get_child_at_index(i)
        if child is not None:
            walk(child, here, offenders,
                 named_table or (role in ('tree table', 'table') and bool(real_name(node))))


def find_app(timeout=120):
    desktop = Atspi.get_desktop(0)
    end = time.time() + timeout
    while time.time() < end:
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            if app is not None and (app.get_name() or '').lower() == 'carepath':
                return app
        time.sleep(0.3)
    return None


def find(node, predicate, depth=0):
    if depth > 60:
        return None
    try:
        if predicate(node):
            return node
        n = node.get_child_count()
    except Exception:
        return None
    for i in range(n):
        child = node.get_child_at_index(i)
        if child is not None:
            hit = find(child, predicate, depth + 1)
            if hit is not None:
                return hit
    return None


def wait_for(getter, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        value = getter()
        if value:
            return value
        time.sleep(0.3)
    return None


def windows(app):
    return [app.get_child_at_index(i) for i in range(app.get_child_count())
            if app.get_child_at_index(i) is not None]


def do_action(node, wanted=('click', 'activate', 'press')):
    action = node.get_action_iface()
    if action is None:
        return False
    for i in range(action.get_n_actions()):
        if action.get_action_name(i) in wanted:
            return action.do_action(i)
    return action.get_n_actions() > 0 and action.do_action(0)


def press(*keys):
    """Keys as a person types them (xdotool: "ctrl+n", "Right", "Return"),
    delivered by the X server to the focused window."""
    subprocess.run(['xdotool', 'key', '--delay', '80'] + list(keys), check=True)
    time.sleep(0.6)


def type_text(text):
    subprocess.run(['xdotool', 'type', '--delay', '30', text], check=True)
    time.sleep(0.4)


def focused_node(app):
    return find(app, lambda n: n.get_state_set().contains(Atspi.StateType.FOCUSED)
                and n.get_role_name() not in ('frame', 'dialog', 'window'))


def main():
    if len(sys.argv) != 2:
        print('usage: check-accessible.py CAREPATH_BINARY', file=sys.stderr)
        return 2
    binary = sys.argv[1]
    home = tempfile.mkdtemp(prefix='cp-a11y-')
    env = dict(os.environ)
    for key in ('NO_AT_BRIDGE', 'GTK_A11Y', 'G_DEBUG', 'MALLOC_CHECK_'):
        env.pop(key, None)
    env.update({
        'XDG_DATA_HOME': os.path.join(home, 'data'),
        'XDG_CONFIG_HOME': os.path.join(home, 'config'),
        'XDG_CACHE_HOME': os.path.join(home, 'cache'),
        'GSETTINGS_BACKEND': 'memory',
        # The app's exit after SIGTERM is not what is tested here.
        'ASAN_OPTIONS': 'detect_leaks=0',
    })
    app_process = subprocess.Popen([binary, '--db', os.path.join(home, 'leads.db'), '--demo'],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        print('1..%d' % PLANNED)
        run_checks()
    finally:
        app_process.send_signal(signal.SIGTERM)
        try:
            app_process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            app_process.kill()
        shutil.rmtree(home, ignore_errors=True)
    return 0 if all(results) and len(results) == PLANNED else 1


VIEWS = [('My Work', 'ctrl+0'), ('Pipeline', 'ctrl+1'), ('Leads', 'ctrl+2'),
         ('Reports', 'ctrl+3'), ('Playbook', 'ctrl+4'), ('Sync', 'ctrl+5')]
DIALOGS = [('Preferences', 'ctrl+comma'), ('New lead', 'ctrl+n')]
PLANNED = 2 + len(VIEWS) + len(DIALOGS) + 4


def card_name(node):
    return node.get_name() or '' if node is not None else ''


def run_checks():
    app = find_app()
    tap(app is not None, 'the app appears on the accessibility bus')
    if app is None:
        return
    # Names can change after GTK first reports them (a window names its
    # parts when shown): read them fresh every time.
    Atspi.Accessible.set_cache_mask(app, Atspi.Cache.NONE)
    main_window = windows(app)[0]
    # X gives the keyboard to the window under the pointer (no window
    # manager here).
    subprocess.run(['xdotool', 'mousemove', '600', '400'], check=True)
    card = wait_for(lambda: find(main_window, lambda n: re.search(r', score \d+', n.get_name() or '')), 240)
    tap(card is not None, 'the board lists the demo leads by name and score', [card_name(card)])

    unnamed = set()
    for view, keys in VIEWS:
        press(keys)
        time.sleep(1.0)
        offenders = set()
        walk(main_window, [], offenders)
        new = offenders - unnamed
        unnamed |= offenders
        tap(not offenders, 'view %s: every control has a name' % view, sorted(new)[:25])

    for title, keys in DIALOGS:
        before = len(windows(app))
        press('ctrl+1')
        press(keys)
        dialog = wait_for(lambda: len(windows(app)) > before and windows(app)[-1], 20)
        if not dialog:
            tap(False, 'dialog %s: it opens from the keyboard' % title)
            continue
        time.sleep(1)
        offenders = set()
        walk(dialog, [], offenders)
        tap(not offenders, 'dialog %s: every control has a name' % title, sorted(offenders)[:25])
        press('Escape')
        wait_for(lambda: len(windows(app)) == before, 5)

    board_by_keys(app, main_window)


def focus_name(app):
    return card_name(focused_node(app))


def wait_focus(app, predicate, timeout=10):
    """The focused node's name once it satisfies @predicate (keys are
    delivered and handled asynchronously), else the last one seen."""
    end = time.time() + timeout
    name = focus_name(app)
    while not predicate(name) and time.time() < end:
        time.sleep(0.3)
        name = focus_name(app)
    return name


def board_by_keys(app, main_window):
    """The board with keys only: a card in New, Right to Engaged, back,
    Ctrl+M moves it to Engaged; Right and Enter open a lead in another
    column."""
    press('ctrl+1')
    press('ctrl+f')   # into the filter bar's search, then on with Tab
    name = wait_focus(app, lambda n: 'Search' in n, 5)
    for _ in range(30):
        if ', New' in name:
            break
        before = name
        press('Tab')
        name = wait_focus(app, lambda n, b=before: n != b, 3)
    tap(', New' in name, 'Tab reaches a card in New', [name])
    person = name.split(',')[0]

    press('Right')
    right = wait_focus(app, lambda n: ', Engaged' in n)
    press('Left')
    back = wait_focus(app, lambda n: n == name)
    tap(', Engaged' in right and back == name,
        'Right moves to the card beside it in Engaged, Left comes back', [right, back])

    before = len(windows(app))
    press('ctrl+m')
    dialog = wait_for(lambda: len(windows(app)) > before and windows(app)[-1], 20)
    moved = None
    if dialog:
        time.sleep(1)
        type_text('Called back, keyboard only')
        press('Return')
        wait_for(lambda: len(windows(app)) == before, 20)
        moved = wait_for(lambda: find(main_window, lambda n: (n.get_name() or '').startswith(person + ',')
                                      and ', Engaged' in (n.get_name() or '')), 20)
    tap(moved is not None, 'Ctrl+M, a reason and Enter move %s from New to Engaged' % person,
        [card_name(moved)])

    press('ctrl+1')
    start = focus_name(app)
    press('Right')
    wait_focus(app, lambda n: n != start and ', score ' in n)
    middle = focus_name(app)
    press('Right')
    other = wait_focus(app, lambda n: n != middle and ', score ' in n)
    before = len(windows(app))
    press('Return')
    opened = wait_for(lambda: len(windows(app)) > before and windows(app)[-1], 20)
    title = opened.get_name() if opened else ''
    tap(opened is not None and other.split(',')[0] in (title or '') and ', New' not in other,
        'Enter opens the focused lead of another column in its own window', [other, title or ''])


if __name__ == '__main__':
    sys.exit(main())
