"""What the CLI and the server both do, beyond printing: resolve inputs, assess with a baseline,
simulate and save, sweep with an executor's whole lifecycle, describe the organization.

    inputs       crisis_argument(world, arg), crisis_upload(...)   ids from the catalogue, or files
    inputs       question_argument(world, arg), question_text(...)  the same for questions
    assessing    assess_with_baseline(world, crisis, reforms)
    deciding     decide_with_baseline(world, question, reforms)
    running      open_store(url), simulate_and_save(world, crisis, store, ...)
    sweeping     run_sweep(world, spec_path, samples, ...)
    schemas      the published JSON Schemas of every answer and input file
"""
