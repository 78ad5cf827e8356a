// The platform's shared business schemas (aitrading.*.v1), for services that exchange them.
export * from "./gen/aitrading/common/v1/envelope_pb.js";
export * from "./gen/aitrading/common/v1/tick_data_pb.js";
export * from "./gen/aitrading/common/v1/user_context_pb.js";
export * from "./gen/aitrading/trading/v1/signals_pb.js";
export * from "./gen/aitrading/trading/v1/orders_pb.js";
export * from "./gen/aitrading/business/v1/user_management_pb.js";
export * from "./gen/aitrading/business/v1/subscriptions_pb.js";
export * from "./gen/aitrading/ml/v1/features_pb.js";
export * from "./gen/aitrading/ml/v1/predictions_pb.js";
