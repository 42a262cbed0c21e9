-- 人脸核身 with a provider's own page (PostgreSQL). Keep in step with ../sqlite/0011_face_handoff.sql.
-- The phone is handed to the provider (腾讯云慧眼 FaceId H5, 支付宝 实人认证) and comes back;
-- the server then asks the provider for the result of the check it started. `provider` and
-- `provider_ref` (FaceId's BizToken, Alipay's certify_id) say which check that is: a return
-- naming any other proves nothing, and the result asked for is always this one.
ALTER TABLE face_tickets ADD COLUMN provider TEXT NOT NULL DEFAULT '';
ALTER TABLE face_tickets ADD COLUMN provider_ref TEXT NOT NULL DEFAULT '';
