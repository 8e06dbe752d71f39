// The trigger lives in activities/triggers (the poll activity needs it, and activities must not
// import clients); the CLI, the webhook gateway and the tools keep importing it from here.
export { triggerOrder, type TriggerResult } from '../activities/triggers/order-trigger';
