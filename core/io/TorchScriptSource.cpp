#include "io/TorchScriptSource.h"

#include "Error.h"

namespace eenet {
namespace {

// The TorchScript every policy shares. Everything runs in float64 and repeats DeployedPolicy::scores
// operation by operation (sums in the same order, one rounding per operation), so the decisions match the
// studio's bit for bit; exportThresholds' margin absorbs what a different log() could change.
// _calibrated is scaleRow (data/ProbabilityScaling.cpp): the class sum in order, the float32 rounding, and
// the raise by one float step where that rounding ties the prediction with another class. Its exp and log
// may differ from C's in the last double bit; the float32 rounding hides that unless a value sits on a
// rounding boundary, which the replay check would report. predict needs no scaling: scaleRow keeps the
// argmax.
constexpr const char* kCommonSource = R"TS(
def threshold(self, k: int) -> float:
    return float(self.thresholds[k])

def predict(self, probs_k: Tensor) -> Tensor:
    return torch.argmax(probs_k, dim=1)

def leaves(self, k: int, scores: Tensor) -> Tensor:
    if k == self.num_exits - 1:
        return torch.ones_like(scores) > 0
    return scores >= self.thresholds[k]

def _check(self, probs: Tensor, rank: int):
    if rank == 3:
        assert probs.dim() == 3 and probs.size(0) == self.num_exits and probs.size(2) == self.num_classes, "expected probs of shape [" + str(self.num_exits) + ", N, " + str(self.num_classes) + "], got " + str(probs.size())
    else:
        assert probs.dim() == 2 and probs.size(1) == self.num_classes, "expected probs_k of shape [N, " + str(self.num_classes) + "], got " + str(probs.size())

def _calibrated(self, k: int, probs_k: Tensor) -> Tensor:
    p = probs_k.double()
    if self.temperatures.numel() == 0:
        return p
    t = float(self.temperatures[k])
    if t == 1.0:
        return p
    weights = torch.log(torch.clamp(p, min=self.probability_floor))
    weights = torch.exp((weights - torch.amax(weights, dim=1, keepdim=True)) / t)
    total = torch.zeros([p.size(0)]).double()
    for c in range(self.num_classes):
        total = total + weights[:, c]
    scaled = (weights / total.unsqueeze(1)).float()
    predicted = torch.argmax(p, dim=1).unsqueeze(1)
    now = torch.argmax(scaled, dim=1).unsqueeze(1)
    top = scaled.gather(1, now)
    raised = scaled.scatter(1, predicted, torch.nextafter(top, torch.full_like(top, 2.0)))
    return torch.where(now != predicted, raised, scaled).double()

def scores(self, probs: Tensor) -> Tensor:
    self._check(probs, 3)
    p = probs.double()
    n = p.size(1)
    result = torch.zeros([self.num_exits, n]).double()
    previous_predictions = torch.zeros([n, 0]).long()
    for k in range(self.num_exits):
        result[k] = self.score(k, p[k], result[:k].t(), previous_predictions)
        previous_predictions = torch.cat([previous_predictions, self.predict(p[k]).unsqueeze(1)], dim=1)
    return result

def forward(self, probs: Tensor) -> Tuple[Tensor, Tensor]:
    self._check(probs, 3)
    p = probs.double()
    n = p.size(1)
    last = self.num_exits - 1
    exit_index = torch.full([n], last).long()
    prediction = self.predict(p[last])
    undecided = torch.ones([n]) > 0
    previous_scores = torch.zeros([n, 0]).double()
    previous_predictions = torch.zeros([n, 0]).long()
    for k in range(last):
        s = self.score(k, p[k], previous_scores, previous_predictions)
        predicted = self.predict(p[k])
        leave = undecided & self.leaves(k, s)
        exit_index = exit_index.masked_fill(leave, k)
        prediction = torch.where(leave, predicted, prediction)
        undecided = undecided & ~leave
        previous_scores = torch.cat([previous_scores, s.unsqueeze(1)], dim=1)
        previous_predictions = torch.cat([previous_predictions, predicted.unsqueeze(1)], dim=1)
    return exit_index, prediction
)TS";

// xlogy is 0 at p = 0 and otherwise p * std::log(p), the C++ loop's term; log C is the writer's
// std::log(C), so the division sees the same bits.
constexpr const char* kEntropySource = R"TS(
def _entropy_confidence(self, p: Tensor) -> Tensor:
    total = torch.zeros([p.size(0)]).double()
    for c in range(self.num_classes):
        total = total + torch.xlogy(p[:, c], p[:, c])
    return 1.0 + total / self.log_num_classes
)TS";

constexpr const char* kMaxProbSource = R"TS(
def score(self, k: int, probs_k: Tensor, previous_scores: Tensor, previous_predictions: Tensor) -> Tensor:
    self._check(probs_k, 2)
    return torch.amax(self._calibrated(k, probs_k), dim=1)
)TS";

constexpr const char* kEntropyScoreSource = R"TS(
def score(self, k: int, probs_k: Tensor, previous_scores: Tensor, previous_predictions: Tensor) -> Tensor:
    self._check(probs_k, 2)
    return self._entropy_confidence(self._calibrated(k, probs_k))
)TS";

constexpr const char* kPatienceSource = R"TS(
def score(self, k: int, probs_k: Tensor, previous_scores: Tensor, previous_predictions: Tensor) -> Tensor:
    self._check(probs_k, 2)
    p = self._calibrated(k, probs_k)
    predicted = self.predict(p)
    run = torch.ones([p.size(0)]).long()
    agreeing = torch.ones([p.size(0)]) > 0
    for j in range(k - 1, -1, -1):
        agreeing = agreeing & (previous_predictions[:, j] == predicted)
        run = run + agreeing.long()
    return run.double() / float(k + 1) + 0.001 * torch.amax(p, dim=1)
)TS";

constexpr const char* kAgreementSource = R"TS(
def score(self, k: int, probs_k: Tensor, previous_scores: Tensor, previous_predictions: Tensor) -> Tensor:
    self._check(probs_k, 2)
    p = self._calibrated(k, probs_k)
    predicted = self.predict(p)
    count = torch.ones([p.size(0)]).long()
    for j in range(k):
        count = count + (previous_predictions[:, j] == predicted).long()
    return count.double() / float(k + 1) + 0.001 * torch.amax(p, dim=1)
)TS";

// EENetScheduler::score: the class sum first, class by class, then max P, the entropy term only when
// its weight is non-zero, then the earlier exits' scores.
constexpr const char* kEENetSource = R"TS(
def score(self, k: int, probs_k: Tensor, previous_scores: Tensor, previous_predictions: Tensor) -> Tensor:
    self._check(probs_k, 2)
    p = self._calibrated(k, probs_k)
    value = torch.zeros([p.size(0)]).double()
    for c in range(self.num_classes):
        value = value + self.class_weights[k, c] * p[:, c]
    value = value + self.aux_weights[k, 0] * torch.amax(p, dim=1)
    if bool(self.aux_weights[k, 1] != 0.0):
        value = value + self.aux_weights[k, 1] * self._entropy_confidence(p)
    for j in range(k):
        value = value + self.aux_weights[k, 2 + j] * previous_scores[:, j]
    return value
)TS";

} // namespace

std::string torchScriptSource(DeployedPolicy::Score score) {
    std::string text = kCommonSource;
    switch (score) {
    case DeployedPolicy::Score::EENet:
        return text + kEntropySource + kEENetSource;
    case DeployedPolicy::Score::MaxProb:
        return text + kMaxProbSource;
    case DeployedPolicy::Score::Entropy:
        return text + kEntropySource + kEntropyScoreSource;
    case DeployedPolicy::Score::Patience:
        return text + kPatienceSource;
    case DeployedPolicy::Score::Agreement:
        return text + kAgreementSource;
    }
    throw ArgumentError("unknown score");
}

} // namespace eenet
