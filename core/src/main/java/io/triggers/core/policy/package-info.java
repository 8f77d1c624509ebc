/**
 * Rules the use cases apply, kept apart so that each has one home: when a failed webhook attempt is
 * tried again ({@link io.triggers.core.policy.RetrySchedule}) and which webhook addresses may be
 * called at all ({@link io.triggers.core.policy.WebhookTargetRules}).
 */
package io.triggers.core.policy;
