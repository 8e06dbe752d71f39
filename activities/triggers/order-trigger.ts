import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { OrderRef } from '../orders/contracts';
import { magentoChangedSignal, ORDER_WORKFLOW_TYPE, orderWorkflowId } from '../../workflows/order-messages';
import { Channel, MagentoOrder, NeedsAttention, OrderState } from '../../workflows/search-attributes';

/** accepted: started or signalled (the SDK does not say which); closed: the order is finished */
export type TriggerResult = 'accepted' | 'closed';

/**
 * The one way anything (CLI, poller, webhook gateway) tells the connector "this Magento order
 * exists or changed". signalWithStart merges a repeated event into the running workflow; a
 * finished order is not started again (its id is only reusable after a failure), so a late or
 * repeated event changes nothing.
 *
 * It starts the workflow by its type name and lives below both the poll activity and the
 * clients: importing the workflow function here made activities → client → workflows →
 * activities a cycle.
 */
export async function triggerOrder(
  client: Client,
  taskQueue: string,
  ref: OrderRef,
  change: { status?: string; updatedAt?: string } = {},
): Promise<TriggerResult> {
  const workflowId = orderWorkflowId(ref.channel, ref.incrementId);
  try {
    await client.workflow.signalWithStart(ORDER_WORKFLOW_TYPE, {
      workflowId,
      taskQueue,
      args: [ref],
      signal: magentoChangedSignal,
      signalArgs: [change],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      typedSearchAttributes: [
        { key: Channel, value: ref.channel },
        { key: MagentoOrder, value: ref.incrementId },
        { key: OrderState, value: 'importing' },
        { key: NeedsAttention, value: false },
      ],
    });
    return 'accepted';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'closed';
    throw err;
  }
}
