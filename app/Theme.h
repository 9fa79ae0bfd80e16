#pragma once

#include <QString>

namespace eenet {

/// The studio's colour themes. System leaves the platform's style and palette alone; Light and Dark use
/// the Fusion style, whose palettes are complete on every platform (charts follow via InteractivePlot).
enum class Theme { System, Light, Dark };

QString themeName(Theme theme);
/// Applies to the whole application.
void applyTheme(Theme theme);

} // namespace eenet
