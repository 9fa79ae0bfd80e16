#pragma once

#include "data/Predictions.h"

#include <cstdint>

namespace eenet {

/// Options of the synthetic predictions generator. Synthetic data serves scale tests and benchmarks only;
/// its model and dataset attributes say "synthetic" so it is never mistaken for a real model.
struct SyntheticOptions {
    int numExits = 4;
    int numClasses = 100;
    int numVal = 10000;
    int numTest = 10000;
    std::uint64_t seed = 1;
};

/// Makes predictions whose accuracy rises with the exit and whose exits agree more on easy samples,
/// like a real multi-exit network. Costs rise linearly in "ms".
Predictions makeSyntheticPredictions(const SyntheticOptions& options);

} // namespace eenet
