#include "io/SampleCache.h"

namespace eenet {

std::size_t sampleBytes(const SampleInput& sample) {
    return sample.pixels.size() + sample.text.size();
}

SampleCache::SampleCache(std::size_t maxSamples, std::size_t maxBytes)
    : m_maxSamples(maxSamples)
    , m_maxBytes(maxBytes) {}

std::optional<SampleInput> SampleCache::find(int index) {
    const auto found = m_byIndex.find(index);
    if (found == m_byIndex.end())
        return std::nullopt;
    m_entries.splice(m_entries.begin(), m_entries, found->second);
    return found->second->second;
}

void SampleCache::insert(int index, SampleInput sample) {
    const auto found = m_byIndex.find(index);
    if (found != m_byIndex.end())
        erase(found->second);
    m_bytes += sampleBytes(sample);
    m_entries.emplace_front(index, std::move(sample));
    m_byIndex[index] = m_entries.begin();
    while (m_entries.size() > 1 && (m_entries.size() > m_maxSamples || m_bytes > m_maxBytes))
        erase(std::prev(m_entries.end()));
}

void SampleCache::erase(std::list<Entry>::iterator entry) {
    m_bytes -= sampleBytes(entry->second);
    m_byIndex.erase(entry->first);
    m_entries.erase(entry);
}

} // namespace eenet
