"""Keyboard only: from the top of each page, Tab reaches every link and form field
in document order, and the focused element always shows a focus indicator."""

from tests.browser.helpers import short

# Marks what sequential Tab navigation should reach, in order, and returns a
# description of each. A radio group is one stop: its checked radio, else its first.
TAB_STOPS_JS = """() => {
  const candidates = document.querySelectorAll(
    'a[href], area[href], button, input, select, textarea, iframe, summary, [tabindex], [contenteditable]'
  );
  const stops = [];
  const positive = [];
  const radioGroups = new Set();
  for (const el of candidates) {
    if (el.disabled || el.tabIndex < 0 || el.type === 'hidden') continue;
    if (!el.checkVisibility({ visibilityProperty: true })) continue;
    if (el.tabIndex > 0) positive.push(el.outerHTML.slice(0, 80));
    let stop = el;
    if (el.type === 'radio' && el.name) {
      if (radioGroups.has(el.name)) continue;
      radioGroups.add(el.name);
      const group = [...el.form.elements].filter(r => r.type === 'radio' && r.name === el.name);
      stop = group.find(r => r.checked) || el;
    }
    stop.dataset.tabStop = String(stops.length);
    stops.push(stop.outerHTML.slice(0, 100));
  }
  return { stops, positive };
}"""

FOCUSED_JS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== 'none';
  return {
    stop: el.dataset.tabStop ?? null,
    html: el.outerHTML.slice(0, 100),
    visible: outline || shadow,
  };
}"""


def tab_through(page):
    """Problems found tabbing through the current page from the top."""
    found = page.evaluate(TAB_STOPS_JS)
    problems = [f"tabindex > 0: {html}" for html in found["positive"]]
    for index, expected in enumerate(found["stops"]):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if focused["stop"] != str(index):
            problems.append(f"{index + 1} 回目の Tab: 期待 {expected} / 実際 {focused['html']}")
            break
        if not focused["visible"]:
            problems.append(f"フォーカスが見えない: {focused['html']}")
    return len(found["stops"]), problems


def test_tab_reaches_every_link_and_field_in_order(pages, page):
    problems = {}
    stops = 0
    for url in pages:
        page.goto(url)
        count, found = tab_through(page)
        stops += count
        if found:
            problems[short(url)] = found
    assert stops > len(pages) * 5  # the check really ran over links and fields
    assert not problems, "\n".join(
        f"{name}:\n  " + "\n  ".join(found) for name, found in problems.items()
    )
