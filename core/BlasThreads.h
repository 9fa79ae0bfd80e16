#pragma once

namespace eenet {

/// Debian's LibTorch does its matrix products in OpenBLAS, whose thread pool ignores torch::set_num_threads:
/// set both deliberately or two pools fight over the cores. OpenBLAS is looked up at run time, so this is a
/// no-op with another BLAS and needs no link-time dependency.
void setBlasThreads(int threads);

} // namespace eenet
