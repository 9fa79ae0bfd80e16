#include "GuidedTour.h"

#include "MainWindow.h"
#include "session/Session.h"

#include <QApplication>
#include <QEvent>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

#include <algorithm>

namespace eenet {

/// A frame drawn around the widget a step points at, over the window; clicks pass through it.
class TourHighlight : public QWidget {
public:
    explicit TourHighlight(QWidget* window)
        : QWidget(window) {
        setAttribute(Qt::WA_TransparentForMouseEvents);
        setAttribute(Qt::WA_NoSystemBackground);
        hide();
    }

    void frame(const QRect& rect) {
        m_rect = rect;
        setGeometry(parentWidget()->rect());
        setVisible(!rect.isNull());
        raise();
        update();
    }

protected:
    void paintEvent(QPaintEvent*) override {
        QPainter painter(this);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 4));
        painter.drawRoundedRect(QRectF(m_rect).adjusted(2, 2, -2, -2), 6, 6);
    }

private:
    QRect m_rect;
};

namespace {

constexpr int kPanelWidthPx = 380;
constexpr int kMarginPx = 12;

} // namespace

GuidedTour::GuidedTour(MainWindow* window)
    : QObject(window)
    , m_window(window)
    , m_steps(tourSteps())
    , m_panel(new QFrame(window))
    , m_progress(new QLabel(m_panel))
    , m_title(new QLabel(m_panel))
    , m_text(new QLabel(m_panel))
    , m_back(new QPushButton(tr("Back"), m_panel))
    , m_next(new QPushButton(tr("Next"), m_panel))
    , m_escape(new QShortcut(QKeySequence(Qt::Key_Escape), window))
    , m_highlight(new TourHighlight(window)) {
    m_panel->setObjectName(QStringLiteral("tourPanel"));
    m_panel->setFrameShape(QFrame::StyledPanel);
    m_panel->setAutoFillBackground(true);
    m_panel->setBackgroundRole(QPalette::ToolTipBase);
    m_panel->setForegroundRole(QPalette::ToolTipText);
    m_panel->setFixedWidth(kPanelWidthPx);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_text->setWordWrap(true);
    auto* close = new QPushButton(tr("Close"), m_panel);
    close->setToolTip(tr("End the tour (Esc)"));
    m_next->setDefault(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_progress, 1);
    buttons->addWidget(close);
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    auto* layout = new QVBoxLayout(m_panel);
    layout->addWidget(m_title);
    layout->addWidget(m_text);
    layout->addLayout(buttons);
    m_panel->hide();
    m_escape->setEnabled(false);

    connect(m_next, &QPushButton::clicked, this, &GuidedTour::next);
    connect(m_back, &QPushButton::clicked, this, &GuidedTour::back);
    connect(close, &QPushButton::clicked, this, &GuidedTour::stop);
    connect(m_escape, &QShortcut::activated, this, &GuidedTour::stop);
    // The panel and the frame follow the window's and the target's size.
    window->installEventFilter(this);
}

GuidedTour::~GuidedTour() = default;

std::vector<int> GuidedTour::stepsShown() const {
    const auto& predictions = m_window->session()->predictions();
    const bool hasInputs = predictions && predictions->val.inputs;
    std::vector<int> shown;
    for (int i = 0; i < static_cast<int>(m_steps.size()); ++i)
        if (hasInputs || !m_steps[static_cast<size_t>(i)].needsInputs)
            shown.push_back(i);
    return shown;
}

void GuidedTour::start() {
    if (!m_window->session()->hasPredictions())
        return;
    m_escape->setEnabled(true);
    show(stepsShown().front());
}

void GuidedTour::next() {
    const std::vector<int> shown = stepsShown();
    const auto after = std::upper_bound(shown.begin(), shown.end(), m_current);
    if (after == shown.end())
        stop();
    else
        show(*after);
}

void GuidedTour::back() {
    const std::vector<int> shown = stepsShown();
    const auto at = std::lower_bound(shown.begin(), shown.end(), m_current);
    if (at != shown.begin())
        show(*std::prev(at));
}

void GuidedTour::stop() {
    if (m_target)
        m_target->removeEventFilter(this);
    m_current = -1;
    m_target = nullptr;
    m_panel->hide();
    m_highlight->frame({});
    m_escape->setEnabled(false);
    Q_EMIT finished();
}

void GuidedTour::show(int step) {
    if (m_target)
        m_target->removeEventFilter(this);
    m_current = step;
    const TourStep& s = m_steps[static_cast<size_t>(step)];
    s.apply(*m_window);
    m_target = s.target(*m_window);
    if (m_target)
        m_target->installEventFilter(this);
    const std::vector<int> shown = stepsShown();
    const auto position = std::find(shown.begin(), shown.end(), step) - shown.begin();
    m_progress->setText(tr("%1 of %2").arg(position + 1).arg(shown.size()));
    m_title->setText(s.title);
    m_text->setText(s.text(*m_window));
    m_back->setEnabled(position > 0);
    m_next->setText(position + 1 == static_cast<long>(shown.size()) ? tr("Finish") : tr("Next"));
    m_panel->show();
    placePanel();
    m_next->setFocus();
    Q_EMIT stepShown(step);
}

void GuidedTour::placePanel() {
    if (!isRunning())
        return;
    m_panel->adjustSize();
    const QRect window = m_window->rect();
    const QRect target = m_target && m_target->isVisible()
                             ? QRect(m_target->mapTo(m_window, QPoint(0, 0)), m_target->size())
                             : QRect();
    m_highlight->frame(target);
    const QSize size = m_panel->size();
    QPoint at;
    if (target.isNull())
        at = window.center() - QPoint(size.width() / 2, size.height() / 2);
    else if (target.right() + kMarginPx + size.width() <= window.right())
        at = QPoint(target.right() + kMarginPx, target.top() + kMarginPx);
    else if (target.left() - kMarginPx - size.width() >= 0)
        at = QPoint(target.left() - kMarginPx - size.width(), target.top() + kMarginPx);
    else
        at = target.bottomRight() - QPoint(size.width() + kMarginPx, size.height() + kMarginPx);
    at.setX(std::clamp(at.x(), kMarginPx, std::max(kMarginPx, window.width() - size.width() - kMarginPx)));
    at.setY(std::clamp(at.y(), kMarginPx, std::max(kMarginPx, window.height() - size.height() - kMarginPx)));
    m_panel->move(at);
    m_panel->raise();
}

bool GuidedTour::eventFilter(QObject* watched, QEvent* event) {
    if (isRunning() && (event->type() == QEvent::Resize || event->type() == QEvent::Move ||
                        event->type() == QEvent::Show || event->type() == QEvent::Hide))
        placePanel();
    return QObject::eventFilter(watched, event);
}

} // namespace eenet
