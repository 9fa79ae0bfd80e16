#include "BandController.h"

#include "session/Session.h"

namespace eenet {

BandController::BandController(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_job(this, [this](Result result) { onFinished(std::move(result)); }) {
    for (auto signal : {&Session::curvesChanged, &Session::schedulersChanged})
        connect(m_session, signal, this, [this] {
            ++m_curvesGeneration;
            request();
        });
    connect(m_session, &Session::methodChanged, this, &BandController::request);
    connect(m_session, &Session::splitChanged, this, &BandController::request);
}

void BandController::request() {
    if (!m_session->hasPredictions() || m_job.isBusy())
        return; // a busy job asks again when it ends
    const auto& custom = m_session->customPolicy();
    const std::string method = custom ? custom->base.name() : m_session->method().name();
    const Split split = m_session->split();
    const std::vector<MethodResult>* results = m_session->curveResults(method, split);
    if (!results || m_session->bands(method, split))
        return;
    auto predictions = m_session->predictions();
    m_job.start([predictions, method, split, curve = *results, generation = m_curvesGeneration]() {
        Result result{predictions, method, split, generation, {}, false};
        try {
            const SplitPredictions& data = split == Split::Test ? *predictions->test : predictions->val;
            result.bands = bootstrapBands(curve, makeExitData(*predictions, data));
            result.valid = true;
        } catch (const std::exception&) {
            // A curve a band cannot be drawn for is drawn without one.
        }
        return result;
    });
}

void BandController::onFinished(Result result) {
    if (result.valid && result.predictions == m_session->predictions() &&
        result.curvesGeneration == m_curvesGeneration)
        m_session->setBands(result.method, result.split, std::move(result.bands));
    request(); // the method or split may have moved on meanwhile
}

} // namespace eenet
