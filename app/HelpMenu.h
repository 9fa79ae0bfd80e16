#pragma once

class QMainWindow;
class QMenu;

namespace eenet {

/// Fills the Help menu: Getting Started (what to do first), Documentation (the docs rendered in a window,
/// links between pages and screenshots working), Keyboard Shortcuts (every shortcut of the window's actions,
/// read from them, so the list cannot go stale) and About.
void fillHelpMenu(QMenu* help, QMainWindow* window);

} // namespace eenet
