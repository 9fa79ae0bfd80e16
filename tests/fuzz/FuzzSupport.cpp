// The one function of eval/Evaluator.cpp the session writer links against. Evaluator.cpp itself is not
// compiled here because it trains EENet (LibTorch); the fuzz targets never call the writer.
#include "eval/Evaluator.h"

namespace eenet {

std::string splitName(Split split) {
    return split == Split::Val ? "val" : "test";
}

} // namespace eenet
