// libFuzzer target: readPredictions over arbitrary bytes. Every input must either load or throw one of
// core's errors; anything else (a crash, a sanitizer report, another exception, a huge allocation) is a bug.
#include "Error.h"
#include "FuzzInput.h"
#include "io/PredictionsReader.h"

#include <H5Epublic.h>
#include <H5Fpublic.h>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // The reader silences HDF5's error stack itself; this also covers anything before its first call.
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string& path = eenet::fuzz::writeInput(data, size);
    try {
        const auto predictions = eenet::readPredictions(path);
        // A file that loads must be consistent with the shape it declares.
        if (predictions->val.probs.size() != static_cast<size_t>(predictions->numExits) *
                                                 static_cast<size_t>(predictions->val.numSamples) *
                                                 static_cast<size_t>(predictions->numClasses))
            __builtin_trap();
        // Inputs are read on demand: read the first and last sample of each split, as a gallery would.
        for (const eenet::SplitPredictions* split :
             {&predictions->val, predictions->test ? &*predictions->test : nullptr}) {
            if (split && split->inputs) {
                split->inputs->read(0);
                split->inputs->read(split->inputs->numSamples() - 1);
            }
        }
    } catch (const eenet::Error&) {
    }
    // Loaded or refused, the reader must leave no HDF5 object open (a leak LeakSanitizer cannot see).
    if (H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_FILE | H5F_OBJ_GROUP | H5F_OBJ_DATASET | H5F_OBJ_ATTR) != 0)
        __builtin_trap();
    return 0;
}
