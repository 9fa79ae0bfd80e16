#pragma once

#include "session/Session.h"

namespace eenet {

/// The split of the session's snapshot that the views show (the session's split), or nullptr while there is
/// no snapshot or it cannot be shown (EENet before training).
inline const SplitPolicy* shownSplit(const Session& session) {
    const auto& snapshot = session.snapshot();
    return snapshot && snapshot->available ? snapshot->split(session.split()) : nullptr;
}

} // namespace eenet
