// JSON form of a CheckResult, shared by the CLI (--json), the API and the web page:
//
// {"verdict","scores":{"scam","grooming","toxic","privacy"},"categories":[...],
//  "reasons":[{"rule","category","weight","start","end","text","explanation":{"vi","en"}}],
//  "advice":[{"id","vi","en"}],"entities":[{"type","value","start","end"}],
//  "conversation"?:{"stage","stage_index","stages":[{"stage","messages":[i...]}]}}
//
// In a conversation result each reason and entity also carries "message" (its index).
// Scores and weights are plain decimals with at most 4 decimals ("0.5006", never "5.006E-1").
#pragma once

#include <string>

#include "safety/verdict.h"

namespace khien::safety {

std::string ToJsonString(const CheckResult& result);

}  // namespace khien::safety
