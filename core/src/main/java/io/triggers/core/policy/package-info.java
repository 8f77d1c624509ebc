/**
 * Rules the use cases apply, kept apart so that each has one home: when a failed webhook attempt is
 * tried again ({@link io.triggers.core.policy.RetrySchedule}), which webhook addresses may be
 * called at all ({@link io.triggers.core.policy.WebhookTargetRules}), and when an endpoint that
 * keeps failing is disabled, with a notice to its owner ({@link
 * io.triggers.core.policy.EndpointHealth}).
 */
package io.triggers.core.policy;
