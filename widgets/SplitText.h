#pragma once

#include "eval/Split.h"

#include <QObject>
#include <QString>

namespace eenet {

/// "test split" / "validation split", as every chart names the split it shows.
inline QString splitText(Split split) {
    return split == Split::Test ? QObject::tr("test split") : QObject::tr("validation split");
}

} // namespace eenet
