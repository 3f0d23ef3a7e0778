/**
 * node:test reporter for mutant runs: the first failing test or hook ends the process with exit
 * code 1, which is all Stryker's command runner reads. A killed mutant (most of them) then costs
 * the tests up to the first failure instead of the whole list.
 */
export default async function* bailOnFirstFailure(source) {
    for await (const event of source) {
        if (event.type === "test:fail") process.exit(1);
    }
}
