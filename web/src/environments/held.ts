// What the console says when the server holds a provision or rollback for approval: the
// environment's config in force requires a second person (the two-person rule).

/** "Held for approval as d-7: …". */
export function heldText(env: string, what: 'provision' | 'rollback', deployment: string): string {
  return (
    `Held for approval as ${deployment}: ${env} requires a second person for a ${what}. An approver ` +
    `other than you approves it on the Deployments page (or ec2m approve ${deployment}); it then ` +
    `applies inside the maintenance window.`
  );
}
