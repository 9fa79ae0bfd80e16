#pragma once

#include <Eigen/Core>

#include <cstdint>

namespace eenet {

/// Per-exit, per-sample values, row-major [K, N] like the probability tensors: row k is exit k.
using ScoreMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using LabelMatrix = Eigen::Matrix<int, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MaskMatrix = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

} // namespace eenet
