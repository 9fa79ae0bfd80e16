#pragma once

#include "data/SampleInputs.h"

#include <cstddef>
#include <list>
#include <optional>
#include <unordered_map>
#include <utility>

namespace eenet {

/// The most recently read samples of one split, by index, within a count and a byte budget: what lets a
/// gallery scroll back without reading again. Not thread-safe: its owner locks.
class SampleCache {
public:
    SampleCache(std::size_t maxSamples, std::size_t maxBytes);

    /// The cached sample, now the most recently used; nullopt when it is not cached.
    std::optional<SampleInput> find(int index);
    /// Adds (or refreshes) a sample, then drops the least recently used ones beyond either budget; the newest
    /// one stays even when it alone is over the byte budget.
    void insert(int index, SampleInput sample);

private:
    using Entry = std::pair<int, SampleInput>;

    void erase(std::list<Entry>::iterator entry);

    std::size_t m_maxSamples;
    std::size_t m_maxBytes;
    std::size_t m_bytes = 0;
    /// Most recently used first.
    std::list<Entry> m_entries;
    std::unordered_map<int, std::list<Entry>::iterator> m_byIndex;
};

/// Bytes a sample holds: its pixels or its text.
std::size_t sampleBytes(const SampleInput& sample);

} // namespace eenet
