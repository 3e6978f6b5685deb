#include "cases/casework.h"

#include <algorithm>
#include <array>

namespace khien::cases::casework {
namespace {

constexpr std::array<RiskItem, 11> kRiskItems = {{
    {"threat_to_kill", "Kẻ gây bạo lực đã đe doạ giết chị hoặc con chị", "The perpetrator has threatened to kill her or her children", true, 3},
    {"weapon", "Kẻ gây bạo lực có hoặc đã dùng vũ khí (dao, súng, hung khí)", "The perpetrator has or has used a weapon (knife, gun, other)", true, 3},
    {"strangulation", "Chị từng bị bóp cổ, bịt mũi miệng hoặc làm cho ngạt thở", "She has been strangled, choked or smothered", true, 3},
    {"fears_for_life", "Chị tin rằng kẻ đó có thể giết mình", "She believes the perpetrator could kill her", true, 3},
    {"violence_escalating", "Bạo lực ngày càng nặng hơn hoặc thường xuyên hơn", "The violence is getting worse or more frequent", false, 2},
    {"perpetrator_has_access", "Kẻ gây bạo lực đang ở cùng hoặc dễ dàng tiếp cận chị", "The perpetrator lives with her or can reach her now", false, 2},
    {"sexual_violence", "Chị bị ép quan hệ tình dục", "She has been forced to have sex", false, 2},
    {"pregnant", "Chị đang mang thai (hoặc bị đánh khi mang thai)", "She is pregnant (or was beaten while pregnant)", false, 1},
    {"controls_money_movement", "Kẻ đó kiểm soát tiền bạc, giấy tờ hoặc việc đi lại của chị", "The perpetrator controls her money, papers or movement", false, 1},
    {"child_at_risk", "Có trẻ em trong gia đình bị đe doạ hoặc bị hại", "A child in the household is threatened or harmed", false, 2},
    {"separation_recent", "Chị vừa rời đi hoặc định rời bỏ kẻ gây bạo lực", "She has recently left or plans to leave the perpetrator", false, 1},
}};

constexpr std::array<ClosureReason, 6> kClosureReasons = {{
    {"needs_met", "Nhu cầu của người bị hại đã được đáp ứng", "The survivor's needs are met"},
    {"survivor_request", "Người bị hại đề nghị đóng hồ sơ", "The survivor asked to close the case"},
    {"moved_away", "Người bị hại đã chuyển đi nơi khác", "The survivor moved away"},
    {"transferred", "Hồ sơ được chuyển cho đơn vị khác", "The case was transferred to another service"},
    {"unreachable", "Không liên lạc được với người bị hại", "The survivor cannot be reached"},
    {"other", "Lý do khác", "Other reason"},
}};

}  // namespace

std::span<const RiskItem> RiskItems() { return kRiskItems; }
std::span<const ClosureReason> ClosureReasons() { return kClosureReasons; }

bool IsClosureReason(std::string_view id) {
  return std::any_of(kClosureReasons.begin(), kClosureReasons.end(), [&](const ClosureReason& r) { return r.id == id; });
}

Result<RiskResult> AssessRisk(const std::map<std::string, bool>& answers) {
  RiskResult out;
  bool critical = false;
  for (const auto& [id, yes] : answers) {
    auto item = std::find_if(kRiskItems.begin(), kRiskItems.end(), [&](const RiskItem& i) { return i.id == id; });
    if (item == kRiskItems.end()) {
      // The id is a short vocabulary key typed by a client, never survivor data.
      return Error::InvalidInput("answers", "Câu hỏi đánh giá nguy cơ không tồn tại: " + id.substr(0, 40),
                                 "Unknown risk item: " + id.substr(0, 40));
    }
    if (!yes) continue;
    out.score += item->weight;
    critical = critical || item->critical;
  }
  out.level = critical || out.score >= kHighScore ? "high" : out.score >= kMediumScore ? "medium" : "low";
  return out;
}

}  // namespace khien::cases::casework
