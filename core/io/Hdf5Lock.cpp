#include "io/Hdf5Lock.h"

namespace eenet {

std::mutex& hdf5Mutex() {
    static std::mutex mutex;
    return mutex;
}

} // namespace eenet
