/**
 * The webhook delivery pipeline that runs in the background: the {@link
 * io.triggers.core.delivery.WebhookDispatcher} takes due tasks from the delivery queue and runs
 * each attempt ({@link io.triggers.core.port.in.DeliverWebhook}) on a virtual thread, in the order
 * the thread-free {@link io.triggers.core.delivery.DeliveryLanes} decide (fair per organization);
 * the {@link io.triggers.core.delivery.DeliverySweeper} refills the queue from the delivery ledger,
 * the record of every scheduled delivery.
 */
package io.triggers.core.delivery;
