// The hub's API (hub.v1) and the standard gRPC health protocol. Business schemas are in "@hub/proto/aitrading".
export * from "./gen/hub/v1/instance_pb.js";
export * from "./gen/hub/v1/registry_pb.js";
export * from "./gen/hub/v1/discovery_pb.js";
export * from "./gen/hub/v1/health_pb.js";
export * from "./gen/hub/v1/config_pb.js";
export * from "./gen/grpc/health/v1/health_pb.js";
