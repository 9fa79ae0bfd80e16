#pragma once

#include <mutex>

namespace eenet {

/// Debian's HDF5 is built without thread safety: every HDF5 call in the process goes through this one lock.
std::mutex& hdf5Mutex();

} // namespace eenet
