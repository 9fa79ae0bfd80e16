#pragma once

#include "eval/Overthinking.h"

#include <QWidget>

#include <memory>
#include <vector>

class QLabel;
class QSplitter;
class QStackedWidget;

namespace eenet {

class DeferredRefresh;
class OverthinkingChart;
class SampleThumbnails;
class Session;
class ThumbnailStrip;

/// Why early exit can raise accuracy, not only save cost. A sentence explains it and what the oracle
/// exploits; the chart counts, per exit, the samples it gets right that the last exit gets wrong and the
/// reverse, on the shown split; a second sentence says what the session's policy makes of them; below, the
/// pictures of one exit's two groups. Clicking a bar shows that exit's pictures and selects the bar's
/// samples; clicking a picture selects that sample. The counts follow the split, the policy sentence and the
/// tooltips the snapshot. Without inputs in the file the pictures give way to a message; the counts stay.
class OverthinkingView : public QWidget {
    Q_OBJECT
public:
    explicit OverthinkingView(Session* session, QWidget* parent = nullptr);

    OverthinkingChart* chart() const { return m_chart; }
    /// Per exit over every sample of the shown split; empty without a file.
    const std::vector<ExitVsLast>& comparison() const { return m_all; }
    /// Per exit among the samples the session's policy sends there; empty without a policy.
    const std::vector<ExitVsLast>& policyComparison() const { return m_leaving; }

    /// The exit whose samples the strips show; -1 when there is none (no file, a single exit).
    int shownExit() const { return m_shownExit; }
    void showExit(int exit);
    /// Samples right at the shown exit and wrong at the last one, and the reverse.
    ThumbnailStrip* helpsStrip() const { return m_helpsStrip; }
    ThumbnailStrip* hurtsStrip() const { return m_hurtsStrip; }
    /// The sentence on what the policy makes of these samples.
    QString policySummary() const;
    /// True while a message stands in for the pictures (no file, no inputs).
    bool showsPicturesPlaceholder() const;

    /// Shows `exit`'s pictures and makes the samples of its helps (or hurts) bar the session's selection.
    void selectBar(int exit, bool helps);
    /// Makes `sample` the session's selection.
    void selectSample(int sample, bool helps);

protected:
    /// Wide and short (the window's centre at 1280x720): chart and pictures side by side, the explanation
    /// cut to its first sentence (all of it in the tooltip); tall: stacked, explained in full.
    void resizeEvent(QResizeEvent* event) override;

private:
    void refresh();
    void recomputeSplit();
    void showPolicy();
    void fillStrips();
    void showSelection();
    QString toolTip(int sample) const;

    Session* m_session;
    DeferredRefresh* m_refresh;
    QLabel* m_explanation;
    QLabel* m_summary;
    QSplitter* m_splitter;
    OverthinkingChart* m_chart;
    QStackedWidget* m_pictures;
    QLabel* m_picturesPlaceholder;
    QLabel* m_helpsHeader;
    QLabel* m_hurtsHeader;
    ThumbnailStrip* m_helpsStrip;
    ThumbnailStrip* m_hurtsStrip;
    /// The split's per-exit correctness, made from the predictions (the counts need no policy).
    std::shared_ptr<const ExitData> m_data;
    std::vector<ExitVsLast> m_all;
    std::vector<ExitVsLast> m_leaving;
    std::shared_ptr<SampleThumbnails> m_thumbnails;
    int m_shownExit = -1;
    /// Set when the file or the split changed, so a deferred refresh recomputes the counts too.
    bool m_splitStale = true;
};

} // namespace eenet
