"""The help dialog (the ? key and the Help button: every shortcut, focus kept
and given back, shortcuts idle behind it) and accessible names for the
panels' controls."""

from helpers import open_lab


def test_help_dialog_and_accessible_names(lab_page, site_url):
    page = lab_page
    open_lab(page, site_url)
    dialog = page.get_by_role("dialog", name="Help")
    assert not dialog.is_visible()

    # "?" opens the help; it lists every shortcut; Esc closes it and focus returns.
    page.locator("body").press("?")
    dialog.wait_for(state="visible")
    text = dialog.text_content()
    for key, what in [("N", "New session"), ("S", "step"), ("R", "Run"), ("P", "Pause"), ("C", "Sample"),
                      ("Enter", "New session"), ("?", "help"), ("Esc", "Close")]:
        assert dialog.locator("dt", has_text=key).count() >= 1, key
        assert what.lower() in text.lower(), what
    assert page.evaluate("() => document.activeElement.closest('dialog') !== null")
    # Shortcuts do not act behind the open dialog.
    page.keyboard.press("n")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("() => window.lab.state.current") is None

    # The visible Help button opens it too; Close gives focus back to the button.
    help_button = page.get_by_role("button", name="Help")
    help_button.click()
    dialog.wait_for(state="visible")
    dialog.get_by_role("button", name="Close").click()
    dialog.wait_for(state="hidden")
    assert page.evaluate("() => document.activeElement.id") == "btn-help"

    # Every new control has an accessible name, by role.
    for role, name in [("combobox", "Layer"), ("combobox", "Head"), ("button", "Previous position"),
                       ("button", "Next position"), ("checkbox", "Follow the latest token"),
                       ("slider", "Temperature"), ("button", "Help")]:
        assert page.get_by_role(role, name=name).count() == 1, (role, name)
    assert page.get_by_role("img", name="Attention weights").count() == 1
    assert page.get_by_role("img", name="Top next-token probabilities").count() == 1
    assert page.get_by_role("img", name="Colour scale").count() == 1
    # And nothing focusable in the new parts is unnamed.
    unnamed = page.evaluate("""() => {
        const scopes = ['#panels [data-panel=attention]', '#panels [data-panel=probs]', '#sample-controls', '#help', '#btn-help'];
        const bad = [];
        for (const scope of scopes) {
            const root = document.querySelector(scope);
            const controls = root.matches('button') ? [root] : root.querySelectorAll('button, select, input, canvas[tabindex]');
            for (const el of controls) {
                const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
                    || (el.labels && el.labels.length) || el.textContent.trim();
                if (!named) bad.push(scope + ' ' + el.outerHTML.slice(0, 80));
            }
        }
        return bad;
    }""")
    assert unnamed == []
